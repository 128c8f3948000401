package io.github.ncpsnapshotbridge.testsupport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The packaged bridge as the packaged-app tests start it: pointed at an {@link NcpFake} (classic and VPC API) with an
 * account of its own and a random secret the test can search every output for, configured through the environment
 * only, like a container.
 */
public final class BridgeJar {

    private final Map<String, String> env = new LinkedHashMap<>();
    private final String accessKey;
    private final String secret;

    private BridgeJar(String accessKey) {
        this.accessKey = accessKey;
        this.secret = "sk-" + accessKey.toLowerCase(Locale.ROOT) + "-" + UUID.randomUUID();
    }

    /** A bridge whose account {@code default} is {@code accessKey}, known to {@code ncp} with a fresh secret. */
    public static BridgeJar against(NcpFake ncp, String accessKey) {
        BridgeJar jar = new BridgeJar(accessKey);
        ncp.account(accessKey, jar.secret);
        jar.env.put("NCP_API_URL", ncp.baseUrl());
        jar.env.put("NCP_VPC_API_URL", ncp.vpcBaseUrl());
        jar.env.put("NCP_ACCESS_KEY", accessKey);
        jar.env.put("NCP_SECRET_KEY", jar.secret);
        // the stand-in answers on loopback; short call deadlines let the tests use short leases (SettingsCheck)
        jar.env.put("BRIDGE_NCP_CONNECT_TIMEOUT", "1s");
        jar.env.put("BRIDGE_NCP_READ_TIMEOUT", "2s");
        return jar;
    }

    /** One more setting, as an environment variable. */
    public BridgeJar with(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Kafka intake and events on {@code kafka}. */
    public BridgeJar kafka(KafkaBroker kafka) {
        return with("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    }

    public String accessKey() {
        return accessKey;
    }

    public String secret() {
        return secret;
    }

    public Map<String, String> env() {
        return Map.copyOf(env);
    }

    /** Starts the jar in {@code workDir} (its {@code data/} folders live there unless set otherwise). */
    public AppProcess start(Path workDir) throws IOException {
        return AppProcess.start(workDir, env);
    }

    /** The same, on the JDK in {@code javaHome} and with these JVM options. */
    public AppProcess start(Path workDir, Path javaHome, List<String> jvmOptions) throws IOException {
        return AppProcess.start(workDir, env, javaHome, jvmOptions);
    }
}
