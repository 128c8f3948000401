package io.github.ncpsnapshotbridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.testsupport.AppProcess;
import io.github.ncpsnapshotbridge.testsupport.Requests;
import io.github.ncpsnapshotbridge.testsupport.BridgeJar;
import io.github.ncpsnapshotbridge.testsupport.DropFolders;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;

/**
 * Killed after NCP created the snapshot but before the event went out, and the input never comes back: on the next
 * start the bridge finds the snapshot at NCP by volume and name and reports it, without a second create.
 */
class InFlightRecoveryIT {

    @Test
    void onStartASnapshotCreatedBeforeTheCrashIsReported() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "test-runs", "recovery-" + UUID.randomUUID())).toAbsolutePath();
        DropFolders folders = new DropFolders(work.resolve("data/inbox"), work.resolve("data/outbox"));
        try (NcpFake ncp = new NcpFake()) {
            // NCP creates the snapshot at once but its answer is held back
            ncp.script("970001", NcpFake.Reply.xml(200, NcpFake.exampleAnswer().replace("937508", "970001"))
                    .after(Duration.ofSeconds(30)));
            BridgeJar jar = BridgeJar.against(ncp, "AKRECOVERY").with("BRIDGE_INBOX_STABLE_FOR", "200ms")
                    .with("BRIDGE_NCP_LOOKUP_SETTLE", "2s");
            AppProcess first = jar.start(work);
            try {
                folders.drop("lost.json", Requests.of("recovery-1", "970001").json());
                await().atMost(Duration.ofSeconds(60)).until(() -> !ncp.callsFor("970001").isEmpty());
            } finally {
                first.kill();
            }
            // the input is gone (taken away by hand, expired on a broker...): only the journal remembers the request
            Files.move(folders.taken("lost.json").orElseThrow(), work.resolve("lost.json"));

            try (AppProcess second = jar.start(work)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> folders.eventsForRequestIds("recovery-1").size() == 1);
                JsonNode event = folders.eventsForRequestIds("recovery-1").get(0);
                assertEquals("ncp.blockstorage.snapshot.created", event.get("type").asText());
                assertEquals("970001", event.at("/data/snapshot/originalBlockStorageInstanceNo").asText());
                assertEquals(1, ncp.callsFor("970001").size(), "found, not created again");
                assertTrue(second.output().contains("orphaned request(s)"), "finished by orphan recovery");
            }
        }
    }
}
