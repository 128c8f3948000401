package io.github.ncpsnapshotbridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.testsupport.AppProcess;
import io.github.ncpsnapshotbridge.testsupport.BridgeJar;
import io.github.ncpsnapshotbridge.testsupport.DropFolders;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;

/**
 * 60 requests through the drop folder of the packaged jar, every volume already holding last night's snapshot under
 * tonight's name, NCP answering slowly; the jar is killed with SIGKILL three times while they flow (so kills land
 * between NCP making a snapshot and the bridge hearing of it) and started again each time. Judged by what NCP holds:
 * every volume has exactly one new snapshot, and every request a {@code created} event naming that snapshot.
 */
class FileCrashIT {

    private static final int FILES = 6;
    private static final int PER_FILE = 10;
    private static final String NAME = "db-nightly";

    @Test
    void killedThreeTimesEveryRequestMakesOneSnapshotAndReportsIt() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "test-runs", "crash-" + UUID.randomUUID())).toAbsolutePath();
        Path inbox = Files.createDirectories(work.resolve("data/inbox"));
        Path outbox = work.resolve("data/outbox");
        try (NcpFake ncp = new NcpFake()) {
            // NCP makes each snapshot at once but answers after 400 ms: a kill often lands in between
            ncp.answerDelay(Duration.ofMillis(400));
            // the fake lists a snapshot at once: a short settle time and lease keep the test short
            BridgeJar jar = BridgeJar.against(ncp, "AKCRASHTEST").with("BRIDGE_INBOX_STABLE_FOR", "200ms")
                    .with("BRIDGE_NCP_MAX_CALLS_PER_SECOND", "25").with("BRIDGE_NCP_LOOKUP_SETTLE", "2s")
                    .with("BRIDGE_IDEMPOTENCY_LEASE", "4s");

            String run = UUID.randomUUID().toString().substring(0, 8);
            List<String> volumes = new ArrayList<>();
            for (int f = 0; f < FILES; f++) {
                StringBuilder lines = new StringBuilder();
                for (int i = 0; i < PER_FILE; i++) {
                    int n = f * PER_FILE + i;
                    String volume = Integer.toString(900_000 + n);
                    volumes.add(volume);
                    ncp.seedSnapshot(volume, NAME, "last night's backup");
                    lines.append("{\"requestId\":\"crash-").append(run).append('-').append(n)
                            .append("\",\"blockStorageInstanceNo\":\"").append(volume)
                            .append("\",\"blockStorageSnapshotName\":\"").append(NAME).append("\"}\n");
                }
                Path temp = inbox.resolve(".batch-" + f + ".tmp");
                Files.writeString(temp, lines);
                Files.move(temp, inbox.resolve("batch-" + f + ".jsonl"), StandardCopyOption.ATOMIC_MOVE);
            }

            for (int kill = 1; kill <= 3; kill++) {
                AppProcess app = jar.start(work);
                int before = ncp.calls().size();
                try {
                    // let it get into the work, then pull the plug
                    await().atMost(Duration.ofSeconds(60)).until(() -> ncp.calls().size() >= before + 8 || !app.isAlive());
                } finally {
                    app.kill();
                }
            }
            try (AppProcess last = jar.start(work)) {
                await().atMost(Duration.ofSeconds(120)).until(() -> createdEvents(outbox, run).size() == FILES * PER_FILE);
                await().atMost(Duration.ofSeconds(30)).until(() -> !hasPendingFiles(inbox));
            }
            // after yet another restart, a request repeating a done requestId is answered without calling NCP
            long callsBefore = ncp.callsFor("900007").size();
            try (AppProcess again = jar.start(work)) {
                Path temp = inbox.resolve(".repeat.tmp");
                Files.writeString(temp, "{\"requestId\":\"crash-" + run + "-7\",\"blockStorageInstanceNo\":\"900007\"}");
                Files.move(temp, inbox.resolve("repeat.json"), StandardCopyOption.ATOMIC_MOVE);
                await().atMost(Duration.ofSeconds(60)).until(() -> duplicates(outbox, "crash-" + run + "-7") >= 1);
            }
            assertEquals(callsBefore, ncp.callsFor("900007").size(), "a repeated requestId makes no second call");

            Map<String, JsonNode> created = createdEvents(outbox, run);
            assertEquals(FILES * PER_FILE, created.size(), "every request has its created event");
            List<String> wrong = new ArrayList<>();
            for (int n = 0; n < volumes.size(); n++) {
                List<NcpFake.Snapshot> made = ncp.newSnapshotsOf(volumes.get(n));
                String reported = created.get("crash-" + run + "-" + n).at("/data/snapshot/blockStorageSnapshotInstanceNo")
                        .asText();
                if (made.size() != 1 || !made.get(0).number().equals(reported)) {
                    wrong.add(volumes.get(n) + ": made " + made.stream().map(NcpFake.Snapshot::number).toList()
                            + ", reported " + reported);
                }
            }
            assertTrue(wrong.isEmpty(), "volumes without exactly one new snapshot, reported: " + wrong);
            assertFalse(ncp.calls().stream().anyMatch(c -> !c.signatureValid()), "every call correctly signed");
        }
    }

    private static long duplicates(Path outbox, String requestId) {
        return new DropFolders(outbox.resolveSibling("inbox"), outbox).events().stream()
                .filter(e -> e.get("type").asText().endsWith(".duplicate") && e.at("/data/requestId").asText().equals(requestId))
                .count();
    }

    private static boolean hasPendingFiles(Path inbox) throws Exception {
        try (Stream<Path> files = Files.list(inbox)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".jsonl"));
        }
    }

    /** The created events of this run by requestId; every event file must parse (a half-written one would fail here). */
    private static Map<String, JsonNode> createdEvents(Path outbox, String run) {
        return new DropFolders(outbox.resolveSibling("inbox"), outbox).events().stream()
                .filter(e -> e.get("type").asText().endsWith(".created"))
                .filter(e -> e.at("/data/requestId").asText().startsWith("crash-" + run))
                .collect(Collectors.toMap(e -> e.at("/data/requestId").asText(), e -> e, (a, b) -> a));
    }
}
