package io.github.ncpsnapshotbridge.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts the {@link NcpFake} and points the bridge at it (classic and VPC API) with three accounts: {@code default}
 * (as NCP_ACCESS_KEY / NCP_SECRET_KEY), {@code team-b} (as files in a credentials folder) and {@code team-vpc} (files,
 * in the flat layout of a mounted Secret, with a platform file saying {@code vpc}). Secrets are random per run so a
 * test can search every output for them.
 */
public class NcpFakeResource implements QuarkusTestResourceLifecycleManager {

    public static final String DEFAULT_ACCESS_KEY = "AKTESTDEFAULT0001";
    public static final String TEAM_B_ACCESS_KEY = "AKTESTTEAMB000001";
    public static final String DEFAULT_SECRET = "sk-default-" + UUID.randomUUID();
    public static final String TEAM_B_SECRET = "sk-team-b-" + UUID.randomUUID();
    public static final String TEAM_VPC_ACCESS_KEY = "AKTESTTEAMVPC0001";
    public static final String TEAM_VPC_SECRET = "sk-team-vpc-" + UUID.randomUUID();

    private NcpFake fake;
    private Path credentialsDir;

    @Override
    public Map<String, String> start() {
        try {
            fake = new NcpFake();
            fake.account(DEFAULT_ACCESS_KEY, DEFAULT_SECRET);
            fake.account(TEAM_B_ACCESS_KEY, TEAM_B_SECRET);
            fake.account(TEAM_VPC_ACCESS_KEY, TEAM_VPC_SECRET);
            credentialsDir = Files.createDirectories(Path.of("target", "test-runs", "credentials-" + UUID.randomUUID()))
                    .toAbsolutePath();
            writeAccount(credentialsDir, "team-b", TEAM_B_ACCESS_KEY, TEAM_B_SECRET);
            Files.writeString(credentialsDir.resolve("team-vpc-access-key"), TEAM_VPC_ACCESS_KEY);
            Files.writeString(credentialsDir.resolve("team-vpc-secret-key"), TEAM_VPC_SECRET);
            Files.writeString(credentialsDir.resolve("team-vpc-platform"), "vpc\n");
            fake.credentialsDir(credentialsDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "ncp.api-url", fake.baseUrl(),
                "ncp.vpc-api-url", fake.vpcBaseUrl(),
                "ncp.access-key", DEFAULT_ACCESS_KEY,
                "ncp.secret-key", DEFAULT_SECRET,
                "bridge.credentials-dir", credentialsDir.toString(),
                "bridge.ncp.read-timeout", "2s");
    }

    public static void writeAccount(Path credentialsDir, String alias, String accessKey, String secretKey)
            throws IOException {
        Path dir = Files.createDirectories(credentialsDir.resolve(alias));
        Files.writeString(dir.resolve("access-key"), accessKey);
        Files.writeString(dir.resolve("secret-key"), secretKey);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(fake, new TestInjector.AnnotatedAndMatchesType(InjectNcpFake.class, NcpFake.class));
    }

    @Override
    public void stop() {
        if (fake != null) {
            fake.close();
        }
    }
}
