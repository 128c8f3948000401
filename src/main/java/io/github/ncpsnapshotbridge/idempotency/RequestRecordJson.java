package io.github.ncpsnapshotbridge.idempotency;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.ncpsnapshotbridge.pipeline.Json;

/** The JSON form of a {@link RequestRecord} shared by the stores; the requestId travels beside it (line field or key). */
final class RequestRecordJson {

    private RequestRecordJson() {
    }

    static ObjectNode write(RequestRecord record) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("state", record.state().name());
        node.put("volume", record.volume());
        node.put("snapshotName", record.snapshotName());
        node.put("account", record.account());
        node.put("outcome", record.outcome());
        node.put("at", record.at().toString());
        return node;
    }

    static RequestRecord read(String requestId, JsonNode node) {
        return new RequestRecord(requestId, RequestRecord.State.valueOf(node.get("state").asText()), text(node, "volume"),
                text(node, "snapshotName"), text(node, "account"), text(node, "outcome"),
                Instant.parse(node.get("at").asText()));
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
