package io.github.ncpsnapshotbridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.testsupport.AppProcess;
import io.github.ncpsnapshotbridge.testsupport.BridgeJar;
import io.github.ncpsnapshotbridge.testsupport.DropFolders;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;
import io.github.ncpsnapshotbridge.testsupport.Requests;

/**
 * Two packaged replicas sharing a drop folder and the file store's journal. The reader is killed with SIGKILL and
 * started again at once, before the standby's next look at the folder: the restarted one leads the folder again. The
 * standby's timers used to take the journal meanwhile, so each held one lock and waited for the other, for ever.
 */
class SharedJournalIT {

    @Test
    void aReaderKilledAndRestartedAtOnceGoesOnReadingTheFolder() throws Exception {
        Path shared = Files.createDirectories(Path.of("target", "test-runs", "shared-" + UUID.randomUUID())).toAbsolutePath();
        DropFolders folders = new DropFolders(shared.resolve("inbox"), shared.resolve("outbox"));
        String id = "shared-" + UUID.randomUUID();
        try (NcpFake ncp = new NcpFake()) {
            BridgeJar jar = BridgeJar.against(ncp, "AKSHARED").with("BRIDGE_INBOX_DIR", folders.inbox().toString())
                    .with("BRIDGE_OUTBOX_DIR", folders.outbox().toString())
                    .with("BRIDGE_IDEMPOTENCY_DIR", shared.resolve("journal").toString())
                    .with("BRIDGE_INBOX_STABLE_FOR", "200ms").with("BRIDGE_IDEMPOTENCY_LEASE", "4s")
                    .with("BRIDGE_INBOX_LEADER_CHECK_INTERVAL", "500ms");
            AppProcess reader = jar.start(shared.resolve("replica-a"));
            try {
                // the first replica reads the folder and holds the journal
                folders.drop("first.json", Requests.of(id + "-1", "650001").json());
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(folders.done("first.json")));
                // the second stands by, and looks at the folder seldom: the restarted reader takes the folder back first
                try (AppProcess b = jar.with("BRIDGE_INBOX_LEADER_CHECK_INTERVAL", "120s")
                        .start(shared.resolve("replica-b"))) {
                    Thread.sleep(3000);
                    reader.kill();
                    // long enough for the standby's timers to look at the journal, whose lock died with the reader
                    Thread.sleep(3000);
                    try (AppProcess restarted = jar.with("BRIDGE_INBOX_LEADER_CHECK_INTERVAL", "500ms")
                            .start(shared.resolve("replica-a"))) {
                        folders.drop("second.json", Requests.of(id + "-2", "650002").json());
                        await().atMost(Duration.ofSeconds(40)).until(() -> Files.exists(folders.done("second.json")));
                        assertTrue(restarted.isAlive() && b.isAlive());
                    }
                }
            } finally {
                reader.close();
            }
            assertEquals(1, folders.eventsForRequestIds(id + "-2").size());
            assertEquals(1, ncp.newSnapshotsOf("650002").size(), "one snapshot for the request after the restart");
        }
    }
}
