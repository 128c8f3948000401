package io.github.ncpsnapshotbridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.testsupport.AppProcess;
import io.github.ncpsnapshotbridge.testsupport.Requests;
import io.github.ncpsnapshotbridge.testsupport.BridgeJar;
import io.github.ncpsnapshotbridge.testsupport.DropFolders;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;

/**
 * Completion tracking across SIGKILL: 32 snapshots (half classic, half VPC) are created and tracked while NCP keeps
 * them INIT; the packaged jar is killed, NCP makes them usable, the jar is started again (and killed once more as the
 * first completions come out). Every created snapshot ends with exactly one completion event, {@code completed}.
 */
class CompletionCrashIT {

    private static final int REQUESTS = 32;

    @Test
    void trackedSnapshotsSurviveAKillAndEachGetsOneCompleted() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "test-runs", "completion-" + UUID.randomUUID()))
                .toAbsolutePath();
        try (NcpFake ncp = new NcpFake()) {
            ncp.readyAfterPolls(Integer.MAX_VALUE);
            BridgeJar jar = BridgeJar.against(ncp, "AKCOMPLETION").with("BRIDGE_INBOX_STABLE_FOR", "200ms")
                    .with("BRIDGE_COMPLETION_POLL_INTERVAL", "500ms").with("BRIDGE_NCP_LOOKUP_SETTLE", "2s")
                    .with("BRIDGE_NCP_MAX_CALLS_PER_SECOND", "50");
            DropFolders folders = new DropFolders(work.resolve("data/inbox"), work.resolve("data/outbox"));
            String run = "done-" + UUID.randomUUID().toString().substring(0, 8);
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < REQUESTS; i++) {
                Requests request = Requests.of(run + "-" + i, NcpFake.randomVolume());
                lines.append(i % 2 == 0 ? request.with("platform", "vpc") : request).append('\n');
            }
            Files.createDirectories(work.resolve("data/inbox"));
            folders.drop(run + ".jsonl", lines.toString());

            StringBuilder output = new StringBuilder();
            AppProcess first = jar.start(work);
            try {
                await().atMost(Duration.ofSeconds(90)).until(() -> folders.eventsForRequestIds(run).size() == REQUESTS);
                int polls = ncp.statusPolls().size();
                await().atMost(Duration.ofSeconds(30)).until(() -> ncp.statusPolls().size() >= polls + 2);
                assertEquals(List.of(), folders.completionEventsFor(run), "still INIT: nothing completed yet");
            } finally {
                first.kill();
                output.append(first.output());
            }

            // NCP finishes them while the bridge is down; the bridge must still know what it tracks
            ncp.readyAfterPolls(0);
            AppProcess second = jar.start(work);
            try {
                await().atMost(Duration.ofSeconds(90)).until(() -> !folders.completionEventsFor(run).isEmpty());
            } finally {
                second.kill();
                output.append(second.output());
            }
            try (AppProcess third = jar.start(work)) {
                await().atMost(Duration.ofSeconds(90)).until(() -> folders.completionEventsFor(run).size() == REQUESTS);
                // the second run may have written every file and been killed before logging (and untracking) some:
                // the third publishes those again once it has started and polled, whatever the outbox already holds
                String before = output.toString();
                await().atMost(Duration.ofSeconds(90)).until(() -> requestIds(run).stream()
                        .allMatch(id -> timesPublished(before + third.output(), id) >= 1));
                Thread.sleep(2000);
                output.append(third.output());
            }

            Map<String, List<JsonNode>> completions = folders.completionEventsFor(run).stream()
                    .collect(Collectors.groupingBy(e -> e.at("/data/requestId").asText()));
            assertEquals(REQUESTS, completions.size());
            Map<String, JsonNode> created = folders.eventsForRequestIds(run).stream()
                    .collect(Collectors.toMap(e -> e.at("/data/requestId").asText(), e -> e));
            for (Map.Entry<String, List<JsonNode>> c : completions.entrySet()) {
                assertEquals(1, c.getValue().size(), c.getKey());
                JsonNode event = c.getValue().get(0);
                assertEquals("ncp.blockstorage.snapshot.completed", event.get("type").asText(), event.toString());
                assertEquals(created.get(c.getKey()).at("/data/snapshot/blockStorageSnapshotInstanceNo").asText(),
                        event.at("/data/snapshot/blockStorageSnapshotInstanceNo").asText());
            }
            // one event per snapshot: published once, or (killed between publishing and recording it) again with the
            // same id, which a consumer drops
            String log = output.toString();
            for (String requestId : completions.keySet()) {
                long published = timesPublished(log, requestId);
                assertTrue(published >= 1 && published <= 2, requestId + " published " + published + " times");
            }
            assertTrue(log.lines().filter(l -> l.contains("outcome=unavailable")).findAny().isEmpty());
            assertTrue(ncp.statusPolls().stream().allMatch(NcpFake.Call::signatureValid));
        }
    }

    private static List<String> requestIds(String run) {
        return IntStream.range(0, REQUESTS).mapToObj(i -> run + "-" + i).toList();
    }

    /** How many times the processes' logs say a completion of the request was published. */
    private static long timesPublished(String log, String requestId) {
        return log.lines().filter(l -> l.contains("requestId=" + requestId + " ") && l.contains("outcome=completed"))
                .count();
    }
}
