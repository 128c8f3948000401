package io.github.ncpsnapshotbridge.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.ncp.NcpSnapshot;
import io.github.ncpsnapshotbridge.ncp.Platform;
import io.github.ncpsnapshotbridge.support.Json;
import io.github.ncpsnapshotbridge.testsupport.TestClock;

/** The one decision per poll and snapshot: completed, unavailable, or not yet. */
class CompletionTrackerTest {

    private static final Instant CREATED = Instant.parse("2026-11-27T17:00:00Z");
    private final TestClock clock = new TestClock(CREATED);
    private final CompletionTracker tracker = new CompletionTracker(null, null, null,
            new EventFactory("ncp-snapshot-bridge", clock), clock, null, Duration.ofHours(1), Duration.ofSeconds(60));
    private final TrackedSnapshot tracked = new TrackedSnapshot("db01-nightly", "5000001", "937508", "default",
            Platform.VPC, "KR", CREATED, Json.MAPPER.createObjectNode().put("blockStorageSnapshotInstanceNo", "5000001"));

    private static NcpSnapshot listed(String status) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("blockStorageSnapshotInstanceNo", "5000001");
        fields.put("blockStorageSnapshotInstanceStatus", Map.of("code", status));
        return new NcpSnapshot(Platform.VPC, fields);
    }

    private static JsonNode data(BridgeEvent event) throws Exception {
        return Json.MAPPER.readTree(event.json()).get("data");
    }

    @Test
    void usableIsCompletedWithTheSnapshotAsListed() throws Exception {
        BridgeEvent event = tracker.decide(tracked, listed("CREAT"), true, CREATED.plusSeconds(30));
        assertEquals(EventType.COMPLETED, event.type());
        assertEquals("CREAT", data(event).at("/snapshot/blockStorageSnapshotInstanceStatus/code").asText());
        assertEquals("vpc", data(event).get("platform").asText());
        assertEquals(event.id(), tracker.decide(tracked, listed("CREAT"), true, CREATED.plusSeconds(40)).id(),
                "published again after a crash, the same id");
    }

    @Test
    void terminatedOrNotAvailableIsUnavailableWithTheReason() throws Exception {
        for (String status : new String[] {"TERMT", "NAVAI"}) {
            BridgeEvent event = tracker.decide(tracked, listed(status), true, CREATED.plusSeconds(30));
            assertEquals(EventType.UNAVAILABLE, event.type());
            assertTrue(data(event).get("reason").asText().contains(status));
        }
    }

    @Test
    void stillBeingMadeIsAskedAgainUntilTheTimeout() throws Exception {
        assertNull(tracker.decide(tracked, listed("INIT"), true, CREATED.plus(Duration.ofMinutes(59))));
        BridgeEvent late = tracker.decide(tracked, listed("INIT"), true, CREATED.plus(Duration.ofMinutes(60)));
        assertEquals(EventType.UNAVAILABLE, late.type());
        assertTrue(data(late).get("reason").asText().contains("not usable within"), data(late).toString());
    }

    @Test
    void notListedCountsAsGoneOnlyOnceTheListHasHadTheSettleTime() throws Exception {
        assertNull(tracker.decide(tracked, null, true, CREATED.plusSeconds(59)), "NCP's list lags behind a create");
        BridgeEvent gone = tracker.decide(tracked, null, true, CREATED.plusSeconds(60));
        assertEquals(EventType.UNAVAILABLE, gone.type());
        assertTrue(data(gone).get("reason").asText().contains("no longer lists"));
        assertEquals("5000001", data(gone).at("/snapshot/blockStorageSnapshotInstanceNo").asText(), "the last seen");
    }

    @Test
    void whenNcpCannotBeAskedNothingIsDecidedBeforeTheTimeout() {
        assertNull(tracker.decide(tracked, null, false, CREATED.plus(Duration.ofMinutes(30))));
        assertEquals(EventType.UNAVAILABLE, tracker.decide(tracked, null, false, CREATED.plus(Duration.ofHours(2))).type());
    }
}
