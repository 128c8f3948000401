package io.github.ncpsnapshotbridge.pipeline;

import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.ncpsnapshotbridge.ncp.Platform;
import io.github.ncpsnapshotbridge.support.Json;

/**
 * A created snapshot followed until it is usable: journaled with its request's {@code DONE} record, so tracking
 * survives restarts and moves between replicas with the store. {@code snapshot}: as the {@code created} event showed
 * it (the last seen, until a poll sees it again).
 */
public record TrackedSnapshot(String requestId, String snapshotNo, String volume, String account, Platform platform,
        String regionCode, Instant since, JsonNode snapshot) {

    public String toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("snapshotNo", snapshotNo);
        node.put("volume", volume);
        node.put("account", account);
        node.put("platform", platform.label());
        node.put("regionCode", regionCode);
        node.put("since", since.toString());
        node.set("snapshot", snapshot);
        return node.toString();
    }

    public static TrackedSnapshot fromJson(String requestId, String json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            return new TrackedSnapshot(requestId, text(node, "snapshotNo"), text(node, "volume"), text(node, "account"),
                    Platform.of(text(node, "platform")).orElse(Platform.CLASSIC), text(node, "regionCode"),
                    Instant.parse(node.get("since").asText()), node.get("snapshot"));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable tracked snapshot of requestId " + requestId, e);
        }
    }

    /** The snapshots polled together: one account, one platform, one region. */
    public record Group(String account, Platform platform, String regionCode) {
    }

    public Group group() {
        return new Group(account, platform, regionCode);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
