package io.github.ncpsnapshotbridge.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts the {@link NcpFake} and points the bridge at it with two accounts: {@code default} (as NCP_ACCESS_KEY /
 * NCP_SECRET_KEY) and {@code team-b} (as files in a credentials folder). Secrets are random per run so a test can
 * search every output for them.
 */
public class NcpFakeResource implements QuarkusTestResourceLifecycleManager {

    public static final String DEFAULT_ACCESS_KEY = "AKTESTDEFAULT0001";
    public static final String TEAM_B_ACCESS_KEY = "AKTESTTEAMB000001";
    public static final String DEFAULT_SECRET = "sk-default-" + UUID.randomUUID();
    public static final String TEAM_B_SECRET = "sk-team-b-" + UUID.randomUUID();

    private NcpFake fake;
    private Path credentialsDir;

    @Override
    public Map<String, String> start() {
        try {
            fake = new NcpFake();
            fake.account(DEFAULT_ACCESS_KEY, DEFAULT_SECRET);
            fake.account(TEAM_B_ACCESS_KEY, TEAM_B_SECRET);
            credentialsDir = Files.createDirectories(Path.of("target", "test-runs", "credentials-" + UUID.randomUUID()))
                    .toAbsolutePath();
            writeAccount(credentialsDir, "team-b", TEAM_B_ACCESS_KEY, TEAM_B_SECRET);
            fake.credentialsDir(credentialsDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "ncp.api-url", fake.baseUrl(),
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
