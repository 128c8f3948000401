package io.github.ncpsnapshotbridge.ncp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.testsupport.DropFolderResource;
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

    private JsonNode send(String volume) {
        String requestId = "rel-" + UUID.randomUUID();
        folders.drop(requestId + ".json", "{\"requestId\":\"" + requestId + "\",\"blockStorageInstanceNo\":\"" + volume + "\"}");
        await().atMost(WAIT).until(() -> folders.eventsForRequestIds(requestId).size() == 1);
        return folders.eventsForRequestIds(requestId).get(0);
    }

    @Test
    void twoServerErrorsThenSuccessIsCreatedAfterThreeSignedCalls() {
        String volume = NcpFake.randomVolume();
        ncp.script(volume, Reply.json(500, ERROR_500), Reply.json(500, ERROR_500));
        JsonNode event = send(volume);
        assertEquals("ncp.blockstorage.snapshot.created", event.get("type").asText());
        assertEquals(3, event.at("/data/attempts").asInt());
        List<NcpFake.Call> calls = ncp.callsFor(volume);
        assertEquals(3, calls.size());
        assertTrue(calls.stream().allMatch(NcpFake.Call::signatureValid));
        assertEquals(3, calls.stream().map(c -> c.headers().get("x-ncp-apigw-signature-v2")).distinct().count(),
                "every attempt is signed afresh");
    }

    @Test
    void throttlingIsRetriedAfterRetryAfter() {
        String volume = NcpFake.randomVolume();
        ncp.script(volume, Reply.json(429, "{\"error\":{\"errorCode\":\"400\",\"message\":\"Quota Exceeded\"}}")
                .withHeader("Retry-After", "1"));
        JsonNode event = send(volume);
        assertEquals("ncp.blockstorage.snapshot.created", event.get("type").asText());
        assertEquals(2, event.at("/data/attempts").asInt());
        List<NcpFake.Call> calls = ncp.callsFor(volume);
        assertTrue(Duration.between(calls.get(0).at(), calls.get(1).at()).toMillis() >= 900,
                "waited for Retry-After before calling again");
    }

    @Test
    void aReadTimeoutIsCheckedAtNcpThenRetried() {
        String volume = NcpFake.randomVolume();
        // no answer within the 2 s read timeout; NCP did not create anything
        ncp.script(volume, Reply.json(503, "{}").after(Duration.ofSeconds(3)));
        JsonNode event = send(volume);
        assertEquals("ncp.blockstorage.snapshot.created", event.get("type").asText());
        assertEquals(2, event.at("/data/attempts").asInt());
        assertEquals(2, ncp.callsFor(volume).size());
        assertTrue(ncp.calls().stream().anyMatch(c -> c.rawTarget().contains("getBlockStorageSnapshotInstanceList")
                && c.rawTarget().contains(volume)), "looked for the snapshot before creating again");
    }

    @Test
    void aTimedOutCreateThatNcpCarriedOutIsNotCreatedAgain() throws Exception {
        String volume = NcpFake.randomVolume();
        // NCP creates the snapshot but its answer comes after the read timeout
        ncp.script(volume, Reply.xml(200, NcpFake.exampleAnswer().replace("937508", volume)).after(Duration.ofSeconds(3)));
        JsonNode event = send(volume);
        assertEquals("ncp.blockstorage.snapshot.created", event.get("type").asText());
        assertEquals(1, ncp.callsFor(volume).size(), "found by its name, not created twice");
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
        for (int i = 0; i < 6; i++) {
            lines.append("{\"requestId\":\"").append(id).append('-').append(i).append("\",\"blockStorageInstanceNo\":\"")
                    .append(NcpFake.randomVolume()).append("\"}\n");
        }
        folders.drop(id + ".jsonl", lines.toString());
        await().atMost(WAIT).until(() -> folders.eventsForRequestIds(id).size() == 6);
        assertTrue(folders.eventsForRequestIds(id).stream()
                .allMatch(e -> e.get("type").asText().equals("ncp.blockstorage.snapshot.created")),
                "every request waited out the outage");
        assertTrue(folders.eventsForRequestIds(id).stream().anyMatch(e -> e.at("/data/attempts").asInt() > 3),
                "retries went on past the attempt limit while NCP was down");
    }

    @Test
    void sixtyRequestsAtOnceStayUnderTheRateCeiling() {
        String id = "rate-" + UUID.randomUUID();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            lines.append("{\"requestId\":\"").append(id).append('-').append(i).append("\",\"blockStorageInstanceNo\":\"")
                    .append(NcpFake.randomVolume()).append("\"}\n");
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
