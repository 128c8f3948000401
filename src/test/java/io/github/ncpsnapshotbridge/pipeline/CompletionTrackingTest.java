package io.github.ncpsnapshotbridge.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.testsupport.DropFolderResource;
import io.github.ncpsnapshotbridge.testsupport.Requests;
import io.github.ncpsnapshotbridge.testsupport.DropFolders;
import io.github.ncpsnapshotbridge.testsupport.InjectDropFolders;
import io.github.ncpsnapshotbridge.testsupport.InjectNcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFakeResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Created snapshots followed until usable, through the NCP fake's status lists, on both platforms. */
@QuarkusTest
@TestProfile(CompletionTrackingTest.Tracking.class)
@QuarkusTestResource(NcpFakeResource.class)
@QuarkusTestResource(DropFolderResource.class)
class CompletionTrackingTest {

    public static class Tracking implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bridge.completion.enabled", "true", "bridge.completion.poll-interval", "500ms");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(30);

    @InjectNcpFake
    NcpFake ncp;

    @InjectDropFolders
    DropFolders folders;

    /** How many times each requestId's event of {@code outcome} was published, from the bridge's outcome log. */
    private static Map<String, Long> published(String prefix, String outcome) throws IOException {
        Matcher m = Pattern.compile("requestId=(" + Pattern.quote(prefix) + "\\S*) .*outcome=" + outcome + " ")
                .matcher(Files.readString(Path.of("target", "quarkus-test.log")));
        Map<String, Long> counts = new java.util.HashMap<>();
        while (m.find()) {
            counts.merge(m.group(1), 1L, Long::sum);
        }
        return counts;
    }

    @Test
    void everyCreatedSnapshotOfBothPlatformsGetsExactlyOneCompletedWithBatchedPolls() throws Exception {
        ncp.readyAfterPolls(3);
        String id = "done-" + UUID.randomUUID();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            Requests request = Requests.of(id + "-" + i, NcpFake.randomVolume());
            lines.append(i % 2 == 0 ? request.with("platform", "vpc") : request).append('\n');
        }
        int pollsBefore = ncp.statusPolls().size();
        folders.drop(id + ".jsonl", lines.toString());
        await().atMost(WAIT).until(() -> folders.completionEventsFor(id).size() == 32);

        List<JsonNode> created = folders.eventsForRequestIds(id);
        assertEquals(32, created.size());
        for (JsonNode event : folders.completionEventsFor(id)) {
            assertEquals("ncp.blockstorage.snapshot.completed", event.get("type").asText(), event.toString());
            String requestId = event.at("/data/requestId").asText();
            JsonNode createdEvent = created.stream().filter(c -> c.at("/data/requestId").asText().equals(requestId))
                    .findFirst().orElseThrow();
            assertEquals(createdEvent.at("/data/snapshot/blockStorageSnapshotInstanceNo").asText(),
                    event.at("/data/snapshot/blockStorageSnapshotInstanceNo").asText(), "the snapshot made for it");
            assertEquals("CREAT", event.at("/data/snapshot/blockStorageSnapshotInstanceStatus/code").asText());
            assertEquals(createdEvent.at("/data/platform").asText(), event.at("/data/platform").asText());
            assertEquals(createdEvent.get("subject").asText(), event.get("subject").asText());
        }
        // published once each (a second publish would leave one file, but two log lines)
        Thread.sleep(1500);
        Map<String, Long> completed = published(id, "completed");
        assertEquals(32, completed.size());
        assertTrue(completed.values().stream().allMatch(n -> n == 1), "each completed published once: " + completed);

        List<NcpFake.Call> polls = ncp.statusPolls().subList(pollsBefore, ncp.statusPolls().size());
        long asked = polls.stream().mapToLong(c -> c.polledSnapshots().size()).sum();
        assertTrue(asked >= 32 * 3, "each snapshot asked until its third poll: " + asked);
        assertTrue(polls.stream().allMatch(c -> c.polledSnapshots().size() <= 100), "at most 100 per call");
        assertTrue(polls.size() * 4 <= asked, polls.size() + " status calls for " + asked
                + " snapshot look-ups: batched, not one call per snapshot");
        assertTrue(polls.stream().allMatch(NcpFake.Call::signatureValid));
        assertTrue(polls.stream().anyMatch(NcpFake.Call::vpc) && polls.stream().anyMatch(c -> !c.vpc()),
                "each platform polled on its own API");
    }

    @Test
    void aSnapshotThatEndsTerminatedGetsOneUnavailable() throws Exception {
        String id = "termt-" + UUID.randomUUID();
        String number = snapshotStillInit(id);
        Thread.sleep(1200);
        assertEquals(List.of(), folders.completionEventsFor(id), "INIT: nothing yet");
        ncp.setStatus(number, "TERMT");
        await().atMost(WAIT).until(() -> folders.completionEventsFor(id).size() == 1);
        JsonNode event = folders.completionEventsFor(id).get(0);
        assertEquals("ncp.blockstorage.snapshot.unavailable", event.get("type").asText());
        assertTrue(event.at("/data/reason").asText().contains("TERMT"), event.toString());
        Thread.sleep(1500);
        assertEquals(Map.of(id, 1L), published(id, "unavailable"));
        assertEquals(Map.of(), published(id, "completed"));
    }

    @Test
    void aSnapshotNcpNoLongerListsIsUnavailableOnceTheListHadTimeToShowIt() throws Exception {
        String id = "gone-" + UUID.randomUUID();
        ncp.delete(snapshotStillInit(id));
        await().atMost(WAIT).until(() -> folders.completionEventsFor(id).size() == 1);
        JsonNode event = folders.completionEventsFor(id).get(0);
        assertEquals("ncp.blockstorage.snapshot.unavailable", event.get("type").asText());
        assertTrue(event.at("/data/reason").asText().contains("no longer lists"), event.toString());
    }

    /**
     * Request {@code id} for a fresh volume, made into a snapshot that NCP keeps in INIT (the test decides what becomes
     * of it); returns the snapshot's number once its created event is out.
     */
    private String snapshotStillInit(String id) {
        ncp.readyAfterPolls(1000);
        String volume = NcpFake.randomVolume();
        folders.drop(id + ".json", Requests.of(id, volume).json());
        await().atMost(WAIT).until(() -> folders.eventsForRequestIds(id).size() == 1);
        return ncp.newSnapshotsOf(volume).get(0).number();
    }
}
