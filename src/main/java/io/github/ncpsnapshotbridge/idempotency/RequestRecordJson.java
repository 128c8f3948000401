package io.github.ncpsnapshotbridge.idempotency;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.ncpsnapshotbridge.support.Json;

/** The JSON form of a {@link RequestRecord} shared by the stores; the requestId travels beside it (line field or key). */
final class RequestRecordJson {

    private RequestRecordJson() {
    }

    static ObjectNode write(RequestRecord record) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("state", record.state().name());
        node.put("owner", record.owner());
        node.put("leaseUntil", record.leaseUntil() == null ? null : record.leaseUntil().toString());
        node.put("payload", record.payload());
        node.put("outcome", record.outcome());
        node.put("at", record.at().toString());
        if (record.tracking() != null) {
            node.put("tracking", record.tracking());
        }
        return node;
    }

    static RequestRecord read(String requestId, JsonNode node) {
        String lease = text(node, "leaseUntil");
        return new RequestRecord(requestId, RequestRecord.State.valueOf(node.get("state").asText()), text(node, "owner"),
                lease == null ? null : Instant.parse(lease), text(node, "payload"), text(node, "outcome"),
                Instant.parse(node.get("at").asText()), text(node, "tracking"));
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
