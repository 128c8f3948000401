package io.github.ncpsnapshotbridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.ncp.NcpCredentials;
import io.github.ncpsnapshotbridge.settings.BridgeConfig;
import io.github.ncpsnapshotbridge.settings.NcpConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

class SettingsCheckTest {

    private static final Optional<NcpCredentials> KEYS = Optional.of(new NcpCredentials("AKREALKEY0001", "sk-real"));

    /** The settings as the application would map them from these properties (defaults for the rest). */
    static SmallRyeConfig settings(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(BridgeConfig.class).withMapping(NcpConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build();
    }

    static List<String> problems(Map<String, String> properties, Optional<NcpCredentials> keys, boolean prod) {
        SmallRyeConfig config = settings(properties);
        return SettingsCheck.problems(config.getConfigMapping(NcpConfig.class), config.getConfigMapping(BridgeConfig.class),
                keys, prod);
    }

    @Test
    void theDefaultsWithKeysPass() {
        assertEquals(List.of(), problems(Map.of(), KEYS, true));
    }

    @Test
    void missingKeysAreNamedTogether() {
        List<String> problems = problems(Map.of(), Optional.empty(), false);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("NCP_ACCESS_KEY and NCP_SECRET_KEY are not set"), problems.get(0));
        List<String> onlySecret = problems(Map.of("ncp.access-key", "AKONLY"), Optional.empty(), false);
        assertTrue(onlySecret.get(0).startsWith("NCP_SECRET_KEY is not set"), onlySecret.get(0));
    }

    @Test
    void placeholderKeysStopTheStart() {
        List<String> problems = problems(Map.of(), Optional.of(new NcpCredentials("REPLACE_WITH_ACCESS_KEY", "x")), false);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("placeholder"), problems.get(0));
    }

    @Test
    void productionTakesNoSimulatorAndPlainHttpOnlyToLoopback() {
        assertEquals(1, problems(Map.of("bridge.ncp-simulator.enabled", "true"), KEYS, true).size());
        assertEquals(List.of(), problems(Map.of("bridge.ncp-simulator.enabled", "true"), KEYS, false));
        List<String> http = problems(Map.of("ncp.api-url", "http://10.0.0.5/server/v2"), KEYS, true);
        assertEquals(1, http.size(), http.toString());
        assertTrue(http.get(0).startsWith("NCP_API_URL must be https"), http.get(0));
        for (String ok : new String[] {"https://ncloud.apigw.ntruss.com/server/v2", "http://127.0.0.1:8080/server/v2",
                "http://localhost:9/server/v2", "http://[::1]:9/server/v2"}) {
            assertEquals(List.of(), problems(Map.of("ncp.api-url", ok), KEYS, true), ok);
        }
    }

    /** Issue 25, item 12: each of these started silently and then failed every request, or broke exactly-once. */
    @Test
    void settingsThatBreakThePromiseAreRefusedEachByName() {
        Map<String, String> refused = Map.ofEntries(
                Map.entry("bridge.ncp.lookup-settle", "0s"),
                Map.entry("bridge.idempotency.lease", "0s"),
                Map.entry("bridge.ncp.max-calls-per-second", "0"),
                Map.entry("bridge.ncp.max-concurrent-calls", "-1"),
                Map.entry("bridge.workers", "0"),
                Map.entry("bridge.retry.max-attempts", "0"),
                Map.entry("bridge.inbox.max-file-size", "lots"),
                Map.entry("bridge.idempotency.store", "redis"));
        for (Map.Entry<String, String> setting : refused.entrySet()) {
            List<String> problems = problems(Map.of(setting.getKey(), setting.getValue()), KEYS, true);
            String variable = SettingsCheck.env(setting.getKey());
            assertTrue(problems.stream().anyMatch(p -> p.startsWith(variable)), variable + "=" + setting.getValue()
                    + " gives " + problems);
        }
        assertEquals("BRIDGE_NCP_LOOKUP_SETTLE", SettingsCheck.env("bridge.ncp.lookup-settle"));
    }

    @Test
    void productionRefusesTheHttpApiWithoutATokensFile() {
        List<String> problems = problems(Map.of("bridge.http.enabled", "true"), KEYS, true);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("BRIDGE_HTTP_ENABLED=true needs BRIDGE_HTTP_TOKENS_FILE"), problems.get(0));
        assertEquals(List.of(), problems(Map.of("bridge.http.enabled", "true", "bridge.http.tokens-file",
                "/etc/ncp-snapshot-bridge-api/tokens"), KEYS, true));
        assertEquals(List.of(), problems(Map.of("bridge.http.enabled", "true"), KEYS, false), "dev and test may");
    }

    @Test
    void aLeaseNoLongerThanACallIsRefused() {
        List<String> problems = problems(Map.of("bridge.idempotency.lease", "20s", "bridge.ncp.connect-timeout", "5s",
                "bridge.ncp.read-timeout", "30s"), KEYS, true);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("BRIDGE_IDEMPOTENCY_LEASE (PT20S) must be longer than"), problems.get(0));
        assertEquals(List.of(), problems(Map.of("bridge.idempotency.lease", "36s"), KEYS, true));
    }

    @Test
    void aChannelNamedButNotConfiguredIsRefused() {
        SmallRyeConfig config = settings(Map.of("bridge.idempotency.store", "kafka", "bridge.events-sink", "amqp"));
        List<String> problems = SettingsCheck.channelProblems(config.getConfigMapping(BridgeConfig.class), false, false);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("KAFKA_BOOTSTRAP_SERVERS") && problems.get(1).contains("AMQP_URL"),
                problems.toString());
        assertEquals(List.of(), SettingsCheck.channelProblems(config.getConfigMapping(BridgeConfig.class), true, true));
    }

    @Test
    void everyProblemIsOneLineOnStandardErrorAndTheStartFails() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> problems = problems(Map.of("ncp.platform", "mainframe"), Optional.empty(), false);
        assertThrows(IllegalStateException.class,
                () -> SettingsCheck.refuse(problems, new PrintStream(err, true, StandardCharsets.UTF_8)));
        String[] lines = err.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length, String.join("\n", lines));
        assertTrue(lines[0].contains("NCP_ACCESS_KEY and NCP_SECRET_KEY"), lines[0]);
        assertTrue(lines[1].contains("NCP_PLATFORM must be classic or vpc"), lines[1]);
    }
}
