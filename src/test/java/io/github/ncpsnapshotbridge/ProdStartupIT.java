package io.github.ncpsnapshotbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.testsupport.AppProcess;

/** The packaged jar in the prod profile refuses to start without the default account's keys, and says which. */
class ProdStartupIT {

    private static String refusal(Map<String, String> env) throws Exception {
        Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-runs")), "prod-start-");
        try (AppProcess app = AppProcess.start(work, env)) {
            Integer exit = app.waitForExit(60);
            assertNotNull(exit, "the app started instead of refusing");
            assertNotEquals(0, exit.intValue());
            return app.output();
        }
    }

    @Test
    void aPlantedErrorLinkInTheDropFolderStopsTheStartWithAClearMessage() throws Exception {
        Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-runs")), "link-start-");
        Path inbox = Files.createDirectories(work.resolve("data/inbox"));
        Path elsewhere = Files.createDirectories(work.resolve("elsewhere"));
        Files.createSymbolicLink(inbox.resolve(".error"), elsewhere);
        try (AppProcess app = AppProcess.start(work, Map.of("NCP_ACCESS_KEY", "AKLINK", "NCP_SECRET_KEY", "sk-link-start",
                "NCP_API_URL", "http://127.0.0.1:9/server/v2"))) {
            Integer exit = app.waitForExit(60);
            assertNotNull(exit, "the app started with a planted .error link");
            assertNotEquals(0, exit.intValue());
            assertTrue(app.output().contains(".error") && app.output().contains("symbolic link"), app.output());
        }
    }

    @Test
    void theSimulatorCannotBeSwitchedOnInProduction() throws Exception {
        String output = refusal(Map.of("NCP_ACCESS_KEY", "AKSIM", "NCP_SECRET_KEY", "sk-sim-start",
                "BRIDGE_NCP_SIMULATOR_ENABLED", "true", "NCP_API_URL", "http://127.0.0.1:9/ncp-simulator/server/v2"));
        assertTrue(output.contains("BRIDGE_NCP_SIMULATOR_ENABLED is a development setting"), output);
    }

    @Test
    void aPlainHttpNcpUrlToAnotherHostIsRefused() throws Exception {
        String output = refusal(Map.of("NCP_ACCESS_KEY", "AKHTTP", "NCP_SECRET_KEY", "sk-http-start",
                "NCP_API_URL", "http://ncloud.apigw.ntruss.com/server/v2"));
        assertTrue(output.contains("NCP_API_URL must be https"), output);
        assertFalse(output.contains("sk-http-start"), "no secret in the refusal");
    }

    @Test
    void withoutAnyKeyItSaysSoInOneLineOnStandardErrorBeforeAnyRouteStarts() throws Exception {
        Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-runs")), "no-keys-");
        try (AppProcess app = AppProcess.start(work, Map.of())) {
            Integer exit = app.waitForExit(60);
            assertNotNull(exit, "the app started without keys");
            assertNotEquals(0, exit.intValue());
            List<String> lines = app.errors().lines().toList();
            assertEquals(1, lines.size(), app.errors());
            assertTrue(lines.get(0).contains("NCP_ACCESS_KEY and NCP_SECRET_KEY are not set"), lines.get(0));
            assertFalse(app.output().contains("Routes startup"), "no route may start: " + app.output());
            assertFalse(Files.exists(work.resolve("data/inbox")), "the drop folder was touched");
        }
    }

    @Test
    void withOnlyTheAccessKeyItNamesTheSecretAndDoesNotEchoValues() throws Exception {
        String output = refusal(Map.of("NCP_ACCESS_KEY", "AKONLYACCESSKEY"));
        assertTrue(output.contains("set NCP_SECRET_KEY"), output);
        assertFalse(output.contains("NCP_ACCESS_KEY and"), output);
    }
}
