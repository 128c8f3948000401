package io.github.ncpsnapshotbridge;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The packaged jar in the prod profile refuses to start without the default account's keys, and says which. */
class ProdStartupIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private record Run(int exitCode, String output) {
    }

    private static Run start(Map<String, String> env) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory(Path.of("target"), "prod-start-");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=0", "-jar", JAR.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("NCP_") || k.startsWith("BRIDGE_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the app started instead of refusing");
            }
            return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void withoutAnyKeyItNamesBothVariables() throws Exception {
        Run run = start(Map.of());
        assertNotEquals(0, run.exitCode());
        assertTrue(run.output().contains("NCP_ACCESS_KEY and NCP_SECRET_KEY"), run.output());
    }

    @Test
    void withOnlyTheAccessKeyItNamesTheSecretAndDoesNotEchoValues() throws Exception {
        Run run = start(Map.of("NCP_ACCESS_KEY", "AKONLYACCESSKEY"));
        assertNotEquals(0, run.exitCode());
        assertTrue(run.output().contains("set NCP_SECRET_KEY"), run.output());
        assertFalse(run.output().contains("NCP_ACCESS_KEY and"), run.output());
    }
}
