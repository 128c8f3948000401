package io.github.ncpsnapshotbridge.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.idempotency.RecordedOutcome;
import io.github.ncpsnapshotbridge.support.Json;

/** What the store keeps of a published outcome or completion event ({@link RecordedOutcome}), read off the event. */
final class RecordedOutcomes {

    private RecordedOutcomes() {
    }

    /** The outcome a {@code created} or {@code failed} event records, in round {@code round}. */
    static RecordedOutcome of(BridgeEvent event, int round) {
        JsonNode data = data(event);
        JsonNode snapshot = data.path("snapshot");
        JsonNode error = data.get("error");
        return new RecordedOutcome(event.type().outcome(), event.id(), event.attempts(),
                text(snapshot.path("blockStorageSnapshotInstanceNo")),
                text(snapshot.path("blockStorageSnapshotInstanceStatus").path("code")),
                error == null || error.isNull() ? null : error.toString(),
                error != null && error.path("retryable").asBoolean(), null, null, round);
    }

    /** {@code was} with the completion event ({@code completed}, {@code unavailable}) that ended its tracking. */
    static RecordedOutcome completed(RecordedOutcome was, BridgeEvent completion) {
        String status = text(data(completion).path("snapshot").path("blockStorageSnapshotInstanceStatus").path("code"));
        return was.completedBy(completion.type().outcome(), completion.id(), status);
    }

    private static JsonNode data(BridgeEvent event) {
        try {
            return Json.MAPPER.readTree(event.json()).path("data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }
}
