package io.github.ncpsnapshotbridge.idempotency;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.ncpsnapshotbridge.support.Json;

/**
 * What a finished request came to, as its record keeps it (the record's {@code outcome}, as JSON): enough to answer a
 * status query and to name the earlier outcome in a {@code duplicate} event, from the store alone, on any replica.
 * {@code type}: {@code created} or {@code failed}; {@code eventId}: that event's id; {@code attempts}: create calls
 * over every round; {@code snapshot} and {@code status}: NCP's snapshot number and status; {@code error}: a failure's
 * error object (JSON) and whether it is {@code retryable}; {@code completion} and {@code completionEventId}: the
 * {@code completed} or {@code unavailable} event of a created snapshot, once published.
 * <p>
 * A {@code failed} outcome that is retryable does not close the requestId: the request sent again is attempted again,
 * in a new round whose events carry new ids ({@link #round()}).
 */
public record RecordedOutcome(String type, String eventId, int attempts, String snapshot, String status, String error,
        boolean retryable, String completion, String completionEventId, int round) {

    public static final String CREATED = "created";
    public static final String FAILED = "failed";

    /** Whether the request may be attempted again when it is sent again. */
    public boolean reopens() {
        return FAILED.equals(type) && retryable;
    }

    /** The same outcome with its completion event. */
    public RecordedOutcome completedBy(String completionType, String eventId, String status) {
        return new RecordedOutcome(type, this.eventId, attempts, snapshot, status == null ? this.status : status, error,
                retryable, completionType, eventId, round);
    }

    /** The ids of the request's events, oldest first. */
    public List<String> eventIds() {
        List<String> ids = new ArrayList<>();
        if (eventId != null) {
            ids.add(eventId);
        }
        if (completionEventId != null) {
            ids.add(completionEventId);
        }
        return ids;
    }

    public String toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("type", type);
        node.put("eventId", eventId);
        node.put("attempts", attempts);
        putIfPresent(node, "snapshot", snapshot);
        putIfPresent(node, "status", status);
        if (error != null) {
            node.set("error", readTree(error));
        }
        node.put("retryable", retryable);
        putIfPresent(node, "completion", completion);
        putIfPresent(node, "completionEventId", completionEventId);
        if (round > 0) {
            node.put("round", round);
        }
        return node.toString();
    }

    /**
     * The outcome a record keeps; null for none. A journal written before outcomes were kept holds only the type
     * ({@code created}, {@code failed}): read as that type, final, with nothing else known.
     */
    public static RecordedOutcome parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (!text.startsWith("{")) {
            return new RecordedOutcome(text, null, 0, null, null, null, false, null, null, 0);
        }
        JsonNode node = readTree(text);
        JsonNode error = node.get("error");
        return new RecordedOutcome(text(node, "type"), text(node, "eventId"), node.path("attempts").asInt(),
                text(node, "snapshot"), text(node, "status"), error == null || error.isNull() ? null : error.toString(),
                node.path("retryable").asBoolean(), text(node, "completion"), text(node, "completionEventId"),
                node.path("round").asInt());
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
