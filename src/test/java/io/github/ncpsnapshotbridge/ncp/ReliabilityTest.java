package io.github.ncpsnapshotbridge.ncp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.testsupport.DropFolderResource;
import io.github.ncpsnapshotbridge.testsupport.Requests;
import io.github.ncpsnapshotbridge.testsupport.DropFolders;
import io.github.ncpsnapshotbridge.testsupport.InjectDropFolders;
import io.github.ncpsnapshotbridge.testsupport.InjectNcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFake.Reply;
import io.github.ncpsnapshotbridge.testsupport.NcpFakeResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Retries, the rate ceiling and outages, seen from the NCP fake. Test settings: 3 attempts, 100-400 ms backoff,
 * 20 calls/s, 3 at once, 8 workers, outage tolerance 20 s, read timeout 2 s.
 */
@QuarkusTest
@QuarkusTestResource(NcpFakeResource.class)
@QuarkusTestResource(DropFolderResource.class)
class ReliabilityTest {

    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final String ERROR_500 = "{\"responseError\":{\"returnCode\":\"1000\",\"returnMessage\":\"try again later\"}}";

    @InjectNcpFake
    NcpFake ncp;

    @InjectDropFolders
    DropFolders folders;

    /** Drops one request for {@code volume} (with {@code moreFields}, JSON members) and waits for its event. */
    private JsonNode send(String volume, String moreFields) {
        String requestId = "rel-" + UUID.randomUUID();
        folders.drop(requestId + ".json", "{\"requestId\":\"" + requestId + "\",\"blockStorageInstanceNo\":\"" + volume
                + "\"" + moreFields + "}");
        await().atMost(WAIT).until(() -> folders.eventsForRequestIds(requestId).size() == 1);
        return folders.eventsForRequestIds(requestId).get(0);
    }

    private JsonNode send(String volume) {
        return send(volume, "");
    }

    /** A volume that already holds last night's snapshot under tonight's name, and a request for tonight's. */
    private String nightlyVolume() {
        String volume = NcpFake.randomVolume();
        ncp.seedSnapshot(volume, "db01-nightly", "nightly backup of the db01 data volume");
        return volume;
    }

    private JsonNode sendNightly(String volume) {
        return send(volume, ",\"blockStorageSnapshotName\":\"db01-nightly\"");
    }

    /** Exactly one new snapshot at NCP, and the event names it (not last night's). */
    private void assertExactlyOneNewSnapshotReported(String volume, JsonNode event) {
        assertEquals("ncp.blockstorage.snapshot.created", event.get("type").asText(), event.toString());
        List<NcpFake.Snapshot> made = ncp.newSnapshotsOf(volume);
        assertEquals(1, made.size(), "snapshots made for one request: " + made);
        assertEquals(made.get(0).number(), event.at("/data/snapshot/blockStorageSnapshotInstanceNo").asText(),
                "the event names the snapshot made for this request");
    }

    @Test
    void twoServerErrorsThenSuccessMakeOneSnapshotAfterSignedCallsAndLookUps() {
        String volume = nightlyVolume();
        ncp.script(volume, Reply.json(500, ERROR_500), Reply.json(500, ERROR_500));
        JsonNode event = sendNightly(volume);
        assertExactlyOneNewSnapshotReported(volume, event);
        assertEquals(3, event.at("/data/attempts").asInt());
        List<NcpFake.Call> calls = ncp.callsFor(volume);
        assertEquals(3, calls.size());
        assertTrue(calls.stream().allMatch(NcpFake.Call::signatureValid));
        assertEquals(3, calls.stream().map(c -> c.headers().get("x-ncp-apigw-signature-v2")).distinct().count(),
                "every attempt is signed afresh");
    }

    @Test
    void gatewayFiveHundredsOfUnknownEffectAreLookedUpBeforeAnyRetry() {
        String volume = nightlyVolume();
        String gateway500 = "{\"error\":{\"errorCode\":\"500\",\"message\":\"Internal Server Error\"}}";
        // NCP made the snapshot on the second call, then the gateway failed the answer
        ncp.script(volume, Reply.json(500, gateway500), Reply.json(502, gateway500).butMade());
        JsonNode event = sendNightly(volume);
        assertExactlyOneNewSnapshotReported(volume, event);
        assertEquals(2, ncp.callsFor(volume).size(), "found after the second 5xx, not created a third time");
    }

    @Test
    void anAnswerLostWithNothingMadeIsCreatedOnceTheSettleTimeHasPassed() {
        String volume = nightlyVolume();
        // no answer within the 2 s read timeout; NCP did not create anything
        ncp.script(volume, Reply.json(503, "{}").after(Duration.ofSeconds(3)));
        JsonNode event = sendNightly(volume);
        assertExactlyOneNewSnapshotReported(volume, event);
        assertEquals(2, event.at("/data/attempts").asInt());
        List<NcpFake.Call> lookUps = ncp.calls().stream()
                .filter(c -> c.rawTarget().contains("getBlockStorageSnapshotInstanceList") && c.rawTarget().contains(volume))
                .toList();
        assertTrue(lookUps.size() >= 2, "looked up until the settle time had passed: " + lookUps.size());
        Instant firstCreate = ncp.callsFor(volume).get(0).at();
        Instant secondCreate = ncp.callsFor(volume).get(1).at();
        assertTrue(Duration.between(firstCreate, secondCreate).toMillis() >= 2000 + 2000,
                "created again only after the read timeout and the 2 s settle time");
    }

    @Test
    void aCreateMadeButAnsweredAfterTheTimeoutIsFoundNotMadeAgain() {
        String volume = nightlyVolume();
        // NCP makes the snapshot but its answer comes after the read timeout
        ncp.script(volume, Reply.created().after(Duration.ofSeconds(3)));
        JsonNode event = sendNightly(volume);
        assertExactlyOneNewSnapshotReported(volume, event);
        assertEquals(1, ncp.callsFor(volume).size(), "found by its marker, not created twice");
    }

    @Test
    void aCreateMadeButListedOnlySecondsLaterIsFoundNotMadeAgain() {
        String volume = nightlyVolume();
        // made, answer lost, and NCP's list shows it only 1.5 s after it was made: the first look-ups see nothing
        ncp.script(volume, Reply.created().after(Duration.ofSeconds(3)));
        ncp.listLag(Duration.ofMillis(1500));
        try {
            JsonNode event = sendNightly(volume);
            assertExactlyOneNewSnapshotReported(volume, event);
            assertEquals(1, ncp.callsFor(volume).size(), "waited for the list to settle instead of creating again");
        } finally {
            ncp.listLag(Duration.ZERO);
        }
    }

    @Test
    void lookUpsPageThroughTheListAndCompareVolumesAsNumbers() {
        String volume = nightlyVolume();
        for (int i = 0; i < 5; i++) {
            ncp.seedSnapshot(volume, "db01-nightly", "an older night " + i);
        }
        ncp.maxPageSize(2);
        try {
            ncp.script("0" + volume, Reply.created().after(Duration.ofSeconds(3)));
            // the request writes the volume with a leading zero; NCP lists it without
            assertExactlyOneNewSnapshotReported(volume, sendNightly("0" + volume));
        } finally {
            ncp.maxPageSize(100);
        }
    }

    @Test
    void aCopyArrivingWhileTheRequestIsInProgressWaitsAndThenGetsDuplicate() throws Exception {
        String volume = nightlyVolume();
        String requestId = "copy-" + UUID.randomUUID();
        String request = Requests.of(requestId, volume).json();
        ncp.script(volume, Reply.created().after(Duration.ofMillis(1500)));
        folders.drop(requestId + "-original.json", request);
        await().atMost(WAIT).until(() -> !ncp.callsFor(volume).isEmpty());
        folders.drop(requestId + "-copy.json", request);
        Thread.sleep(1000);
        // the copy's file is read but not acknowledged (moved) while the original is in progress
        assertTrue(folders.eventsForRequestIds(requestId).isEmpty());
        String copy = requestId + "-copy.json";
        assertTrue(java.nio.file.Files.exists(folders.inbox().resolve(copy)) || folders.taken(copy).isPresent(),
                "the copy stays unacknowledged (in the inbox, or taken into .work/) while the original is in progress");
        assertFalse(java.nio.file.Files.exists(folders.done(copy)));
        await().atMost(WAIT).until(() -> folders.eventsForRequestIds(requestId).size() == 2);
        List<String> types = folders.eventsForRequestIds(requestId).stream().map(e -> e.get("type").asText()).sorted().toList();
        assertEquals(List.of("ncp.blockstorage.snapshot.created", "ncp.blockstorage.snapshot.duplicate"), types);
        assertEquals(1, ncp.newSnapshotsOf(volume).size());
    }

    @Test
    void anAttemptOfUnknownEffectThatNoLookUpCanSettleFailsAsNotRetryable() {
        String volume = nightlyVolume();
        // the create gets no answer in time, and the key may not list snapshots: nobody can say whether one was made
        ncp.script(volume, Reply.json(503, "{}").after(Duration.ofSeconds(3)));
        ncp.refuseListsFor(volume);
        JsonNode event = sendNightly(volume);
        assertEquals("ncp.blockstorage.snapshot.failed", event.get("type").asText(), event.toString());
        assertFalse(event.at("/data/error/retryable").asBoolean(), "sending it again could make a second snapshot");
        assertTrue(event.at("/data/error/returnMessage").asText().contains("unknown"), event.toString());
        assertEquals(1, ncp.callsFor(volume).size(), "never created again without knowing");
        assertTrue(ncp.newSnapshotsOf(volume).isEmpty());
    }

    @Test
    void refusalsAreNeverRetried() {
        String badRequest = NcpFake.randomVolume();
        String unauthorized = NcpFake.randomVolume();
        ncp.script(badRequest, Reply.xml(400, "<responseError><returnCode>24</returnCode><returnMessage>bad</returnMessage></responseError>"));
        ncp.script(unauthorized, Reply.json(401, "{\"error\":{\"errorCode\":\"200\",\"message\":\"Authentication Failed\"}}"));
        JsonNode first = send(badRequest);
        JsonNode second = send(unauthorized);
        assertEquals("client", first.at("/data/error/category").asText());
        assertEquals("auth", second.at("/data/error/category").asText());
        assertEquals(1, first.at("/data/attempts").asInt());
        assertEquals(1, ncp.callsFor(badRequest).size());
        assertEquals(1, ncp.callsFor(unauthorized).size());
    }

    @Test
    void anOutageOfSeveralSecondsFailsNothing() {
        String id = "outage-" + UUID.randomUUID();
        ncp.outage(Duration.ofSeconds(4));
        StringBuilder lines = new StringBuilder();
        List<String> volumes = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            volumes.add(NcpFake.randomVolume());
            lines.append(Requests.of(id + "-" + i, volumes.get(i)).json()).append('\n');
        }
        folders.drop(id + ".jsonl", lines.toString());
        await().atMost(WAIT).until(() -> folders.eventsForRequestIds(id).size() == 6);
        assertTrue(folders.eventsForRequestIds(id).stream()
                .allMatch(e -> e.get("type").asText().equals("ncp.blockstorage.snapshot.created")),
                "every request waited out the outage");
        // a 503 may come after NCP acted: each one is looked up before the next create, so NCP holds one per request
        assertTrue(volumes.stream().allMatch(v -> ncp.newSnapshotsOf(v).size() == 1), "one snapshot per request");
        assertTrue(volumes.stream().anyMatch(v -> ncp.calls().stream().filter(c -> c.rawTarget().contains(v)).count() > 3),
                "calls (creates and look-ups) went on past the attempt limit while NCP was down");
    }

    @Test
    void sixtyRequestsAtOnceStayUnderTheRateCeiling() {
        String id = "rate-" + UUID.randomUUID();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            lines.append(Requests.of(id + "-" + i, NcpFake.randomVolume()).json()).append('\n');
        }
        Instant start = Instant.now();
        folders.drop(id + ".jsonl", lines.toString());
        await().atMost(WAIT).until(() -> folders.eventsForRequestIds(id).size() == 60);
        List<Instant> times = ncp.calls().stream().map(NcpFake.Call::at).filter(t -> t.isAfter(start)).sorted().toList();
        assertTrue(times.size() >= 60);
        for (int i = 0; i < times.size(); i++) {
            Instant from = times.get(i);
            long inWindow = times.stream().filter(t -> !t.isBefore(from) && t.isBefore(from.plusMillis(950))).count();
            assertTrue(inWindow <= 20, inWindow + " calls within a second, ceiling 20");
        }
        assertTrue(ncp.maxConcurrentCalls() <= 3, "at most 3 calls at once, saw " + ncp.maxConcurrentCalls());
        assertTrue(Duration.between(start, Instant.now()).toMillis() >= 2500, "60 calls at 20/s take about 3 s");
    }
}
