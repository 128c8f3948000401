package io.github.ncpsnapshotbridge.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.idempotency.RecordedOutcome;
import io.github.ncpsnapshotbridge.support.Json;

/** What the store keeps of a completion event ({@link RecordedOutcome#completedBy}), read off the event. */
final class RecordedOutcomes {

    private RecordedOutcomes() {
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
