package io.github.ncpsnapshotbridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.testsupport.AppProcess;
import io.github.ncpsnapshotbridge.testsupport.Requests;
import io.github.ncpsnapshotbridge.testsupport.BridgeJar;
import io.github.ncpsnapshotbridge.testsupport.DropFolders;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;

/** SIGTERM while a request waits for NCP: the request finishes, its event is out, its file is done, then the app exits. */
class GracefulShutdownIT {

    @Test
    void aRequestUnderWayFinishesBeforeTheProcessExits() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "test-runs", "shutdown-" + UUID.randomUUID())).toAbsolutePath();
        DropFolders folders = new DropFolders(work.resolve("data/inbox"), work.resolve("data/outbox"));
        try (NcpFake ncp = new NcpFake()) {
            ncp.script("960001", NcpFake.Reply.xml(200, NcpFake.exampleAnswer().replace("937508", "960001"))
                    .after(Duration.ofSeconds(3)));
            Integer exit;
            try (AppProcess app = BridgeJar.against(ncp, "AKSHUTDOWN").with("BRIDGE_INBOX_STABLE_FOR", "200ms")
                    .start(work)) {
                folders.drop("slow.json", Requests.of("shutdown-1", "960001").json());
                await().atMost(Duration.ofSeconds(60)).until(() -> !ncp.callsFor("960001").isEmpty());
                // SIGTERM while NCP still holds its answer; the bridge must end by itself, within its 30 s bound
                // (plus the JVM's own stop), never needing the SIGKILL that close() would send
                exit = app.terminate(40);
                assertNotNull(exit, "the app ended by itself after SIGTERM, without being killed");
                assertTrue(app.output().contains("stopped in"), "Quarkus stopped gracefully");
            }
            assertEquals(1, folders.eventsForRequestIds("shutdown-1").size(), "the request under way was finished");
            assertTrue(folders.eventsForRequestIds("shutdown-1").get(0).get("type").asText().endsWith(".created"));
            assertTrue(Files.exists(folders.done("slow.json")), "and its file acknowledged");
        }
    }
}
