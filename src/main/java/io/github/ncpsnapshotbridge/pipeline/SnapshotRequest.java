package io.github.ncpsnapshotbridge.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.ncpsnapshotbridge.support.Json;

/**
 * A valid "snapshot this volume" request. {@code requestId} is the user's, or the one derived from the transport when
 * the user gave none ({@code requestIdDerived}).
 */
public record SnapshotRequest(String requestId, boolean requestIdDerived, String blockStorageInstanceNo,
        String blockStorageSnapshotName, String blockStorageSnapshotDescription, String account) {

    /** The request as journaled with its claim, so that it can be finished without its input. */
    public String toJournal() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("requestId", requestId);
        node.put("requestIdDerived", requestIdDerived);
        node.put("blockStorageInstanceNo", blockStorageInstanceNo);
        node.put("blockStorageSnapshotName", blockStorageSnapshotName);
        node.put("blockStorageSnapshotDescription", blockStorageSnapshotDescription);
        node.put("account", account);
        return node.toString();
    }

    public static SnapshotRequest fromJournal(String json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            return new SnapshotRequest(text(node, "requestId"), node.path("requestIdDerived").asBoolean(),
                    text(node, "blockStorageInstanceNo"), text(node, "blockStorageSnapshotName"),
                    text(node, "blockStorageSnapshotDescription"), text(node, "account"));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable journaled request", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
