package io.github.ncpsnapshotbridge.pipeline;

import io.github.ncpsnapshotbridge.testsupport.Answers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.ncp.ErrorCategory;
import io.github.ncpsnapshotbridge.ncp.NcpError;
import io.github.ncpsnapshotbridge.ncp.NcpOutcome;
import io.github.ncpsnapshotbridge.ncp.NcpResponseParser;
import io.github.ncpsnapshotbridge.support.Json;
import io.github.ncpsnapshotbridge.ncp.NcpSnapshot;
import io.github.ncpsnapshotbridge.ncp.Platform;
import io.github.ncpsnapshotbridge.testsupport.NcpPageExample;

class EventFactoryTest {

    private final EventFactory factory = new EventFactory("ncp-snapshot-bridge",
            Clock.fixed(Instant.parse("2026-11-27T10:15:30.123456Z"), ZoneOffset.UTC));
    private final SnapshotRequest request = new SnapshotRequest("db01-nightly", false, "937508", "db01-nightly",
            null, "default");

    private static JsonNode json(BridgeEvent event) throws IOException {
        return Json.MAPPER.readTree(event.json());
    }

    @Test
    void anOutcomePublishedAgainKeepsItsIdAndAnotherOutcomeGetsAnother() {
        NcpOutcome.Created answer = new NcpOutcome.Created("r", "0", "success", new NcpSnapshot(Platform.CLASSIC, java.util.Map.of()));
        BridgeEvent first = factory.created(request, 1, answer);
        BridgeEvent again = factory.created(request, 2, answer);
        assertEquals(first.id(), again.id(), "the same request and outcome: the same id, so consumers drop the repeat");
        assertNotEquals(first.id(), factory.duplicate(request, null, "file:x:1").id(), "another outcome of the same request");
        SnapshotRequest other = new SnapshotRequest("db01-nightly-2", false, "937508", null, null, "default");
        assertNotEquals(first.id(), factory.created(other, 1, answer).id(), "another request");
    }

    @Test
    void aRoundAfterARetryableFailureAndEachInputSentAgainGetIdsOfTheirOwn() throws IOException {
        NcpOutcome.Created answer = new NcpOutcome.Created("r", "0", "success", new NcpSnapshot(Platform.CLASSIC,
                java.util.Map.of("blockStorageSnapshotInstanceNo", "42")));
        BridgeEvent firstRound = factory.failed(request, 3, new NcpError(503, "1000", "later", ErrorCategory.SERVER), true, 0);
        BridgeEvent secondRound = factory.created(request, 4, answer, null, 1);
        assertNotEquals(firstRound.id(), factory.failed(request, 3, new NcpError(503, "1000", "later",
                ErrorCategory.SERVER), true, 1).id(), "the same outcome in another round");
        assertEquals(secondRound.id(), factory.created(request, 4, answer, null, 1).id(), "published again: the same id");

        io.github.ncpsnapshotbridge.idempotency.RecordedOutcome previous = new io.github.ncpsnapshotbridge.idempotency
                .RecordedOutcome("created", secondRound.id(), 4, "42", "INIT", null, false, null, null, 1);
        BridgeEvent resent = factory.duplicate(request, previous, "kafka:topic:0:17");
        assertEquals(resent.id(), factory.duplicate(request, previous, "kafka:topic:0:17").id(),
                "the same input delivered again keeps its id");
        assertNotEquals(resent.id(), factory.duplicate(request, previous, "kafka:topic:0:18").id(),
                "another input sent again gets its own");
        JsonNode named = json(resent).at("/data/previous");
        assertEquals("ncp.blockstorage.snapshot.created", named.path("type").asText());
        assertEquals(secondRound.id(), named.path("id").asText());
        assertEquals("42", named.path("snapshot").asText());
        assertEquals(4, named.path("attempts").asInt());
    }

    @Test
    void createdEventCarriesTheEnvelopeAndEverySnapshotField() throws IOException {
        byte[] example;
        try (InputStream in = getClass().getResourceAsStream("/ncp/create-snapshot-example.xml")) {
            example = in.readAllBytes();
        }
        NcpOutcome.Created created = (NcpOutcome.Created) new NcpResponseParser().parseCreateSnapshot(Platform.CLASSIC, Answers.read(Platform.CLASSIC, 200, example));
        BridgeEvent event = factory.created(request, 1, created);
        JsonNode e = json(event);

        assertEquals("1.0", e.get("specversion").asText());
        assertEquals(event.id(), e.get("id").asText());
        assertEquals("ncp-snapshot-bridge", e.get("source").asText());
        assertEquals("ncp.blockstorage.snapshot.created", e.get("type").asText());
        assertEquals("937508", e.get("subject").asText());
        assertEquals("2026-11-27T10:15:30.123Z", e.get("time").asText());
        assertEquals("application/json", e.get("datacontenttype").asText());

        JsonNode data = e.get("data");
        assertEquals("db01-nightly", data.get("requestId").asText());
        assertEquals("937508", data.at("/request/blockStorageInstanceNo").asText());
        assertEquals(1, data.get("attempts").asInt());
        assertEquals("27d8566c-c085-47d7-9535-d58ccd6dcdc5", data.at("/ncp/requestId").asText());
        assertEquals("0", data.at("/ncp/returnCode").asText());
        assertEquals("success", data.at("/ncp/returnMessage").asText());

        NcpPageExample.assertSnapshotOfTheExample(data.get("snapshot"));
    }

    @Test
    void failedEventCarriesTheErrorAndNoResponseMeansNullStatus() throws IOException {
        JsonNode e = json(factory.failed(request, 1, new NcpError(null, null, "cannot reach NCP", ErrorCategory.SERVER)));
        assertEquals("ncp.blockstorage.snapshot.failed", e.get("type").asText());
        JsonNode error = e.at("/data/error");
        assertTrue(error.get("httpStatus").isNull());
        assertEquals("server", error.get("category").asText());
        assertTrue(error.get("retryable").asBoolean());

        JsonNode refused = json(factory.failed(request, 1, new NcpError(400, "24", "not found", ErrorCategory.CLIENT)));
        assertEquals(400, refused.at("/data/error/httpStatus").asInt());
        assertEquals("24", refused.at("/data/error/returnCode").asText());
        assertFalse(refused.at("/data/error/retryable").asBoolean());
    }

    @Test
    void rejectedEventListsErrorsAndRawAndOmitsUnknownRequestId() throws IOException {
        BridgeEvent event = factory.rejected(new Rejection(List.of(new FieldError("blockStorageInstanceNo", "is required")),
                "{}", null, null, "file:abc:2"));
        JsonNode e = json(event);
        assertEquals("ncp.blockstorage.snapshot.rejected", e.get("type").asText());
        assertFalse(e.has("subject"));
        assertFalse(e.get("data").has("requestId"));
        assertEquals("blockStorageInstanceNo", e.at("/data/errors/0/field").asText());
        assertEquals("{}", e.at("/data/raw").asText());
        assertEquals("file:abc:2", event.requestId(), "the event is still filed under a key");
    }

    @Test
    void derivedRequestIdIsNotPresentedAsTheUsersOwn() throws IOException {
        SnapshotRequest derived = new SnapshotRequest("file:abc", true, "1", null, null, "default");
        JsonNode e = json(factory.duplicate(derived, null, "file:abc"));
        assertEquals("file:abc", e.at("/data/requestId").asText());
        assertFalse(e.at("/data/request").has("requestId"));
    }

    @Test
    void ncpDatesBecomeIsoWithColonOffsets() {
        assertEquals("2018-11-28T13:25:35+09:00", EventFactory.isoDate("2018-11-28T13:25:35+0900"));
        assertEquals("2018-11-28T13:25:00+09:00", EventFactory.isoDate("2018-11-28T13:25:00+0900"));
        assertEquals("2018-11-28T04:25:35Z", EventFactory.isoDate("2018-11-28T04:25:35+0000"));
        assertEquals("not a date", EventFactory.isoDate("not a date"));
    }

    @Test
    void ncpsUsualDateFormIsRewrittenExactlyAsTheFormattersWould() {
        java.time.format.DateTimeFormatter ncp = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ");
        java.time.format.DateTimeFormatter iso = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
        List<String> dates = List.of("2018-11-28T13:25:35+0900", "2018-11-28T04:25:35+0000", "2018-11-28T04:25:35-0000",
                "2024-02-29T23:59:59-0330", "2023-02-29T10:00:00+0900", "2018-13-01T10:00:00+0900",
                "2018-11-31T10:00:00+0900", "2018-11-28T24:00:00+0900", "2018-11-28T13:60:00+0900",
                "2018-11-28T13:25:60+0900", "2018-11-28T13:25:35+1800", "2018-11-28T13:25:35+1801",
                "2018-11-28T13:25:35+0960", "2018-11-28 13:25:35+0900", "2018-11-28T13:25:35*0900",
                "2018-1a-28T13:25:35+0900", "0000-01-01T00:00:00+0100", "2018-11-28T13:25:35+09:00");
        for (String date : dates) {
            // the conversion as it was done before the fast path: the formatters alone
            String expected;
            try {
                expected = java.time.OffsetDateTime.parse(date, ncp).format(iso);
            } catch (java.time.format.DateTimeParseException e) {
                try {
                    expected = java.time.OffsetDateTime.parse(date).format(iso);
                } catch (java.time.format.DateTimeParseException again) {
                    expected = date;
                }
            }
            assertEquals(expected, EventFactory.isoDate(date), date);
        }
        assertEquals("2024-02-29T23:59:59-03:30", EventFactory.isoDateOfNcpForm("2024-02-29T23:59:59-0330"),
                "NCP's form takes the fast path");
    }
}
