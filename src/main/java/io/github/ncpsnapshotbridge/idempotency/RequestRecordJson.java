package io.github.ncpsnapshotbridge.idempotency;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.support.Json;

/** The JSON form of a {@link RequestRecord} shared by the stores; the requestId travels beside it (line field or key). */
final class RequestRecordJson {

    private RequestRecordJson() {
    }

    /** The record as a JSON object (without its requestId). */
    static String toJson(RequestRecord record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
            json.writeStartObject();
            writeFields(record, json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The record's fields, streamed into an object being written. */
    static void writeFields(RequestRecord record, JsonGenerator json) throws IOException {
        json.writeStringField("state", record.state().name());
        json.writeStringField("owner", record.owner());
        json.writeStringField("leaseUntil", record.leaseUntil() == null ? null : record.leaseUntil().toString());
        json.writeStringField("payload", record.payload());
        json.writeStringField("outcome", record.outcome());
        json.writeStringField("at", record.at().toString());
        if (record.tracking() != null) {
            json.writeStringField("tracking", record.tracking());
        }
        if (record.sending()) {
            json.writeBooleanField("sending", true);
        }
    }

    static RequestRecord read(String requestId, JsonNode node) {
        String lease = text(node, "leaseUntil");
        return new RequestRecord(requestId, RequestRecord.State.valueOf(node.get("state").asText()), text(node, "owner"),
                lease == null ? null : Instant.parse(lease), text(node, "payload"), text(node, "outcome"),
                Instant.parse(node.get("at").asText()), text(node, "tracking"), node.path("sending").asBoolean());
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
