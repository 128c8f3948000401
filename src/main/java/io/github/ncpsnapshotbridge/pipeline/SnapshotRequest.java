package io.github.ncpsnapshotbridge.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.ncpsnapshotbridge.ncp.Platform;
import io.github.ncpsnapshotbridge.ncp.SnapshotOrder;
import io.github.ncpsnapshotbridge.support.Json;

/**
 * A valid "snapshot this volume" request. {@code requestId} is the user's, or the one derived from the transport when
 * the user gave none ({@code requestIdDerived}). {@code platform} is resolved (the request's, else its account's, else
 * {@code NCP_PLATFORM}); {@code regionCode} and {@code snapshotTypeCode} are resolved on VPC and null on classic.
 */
public record SnapshotRequest(String requestId, boolean requestIdDerived, String blockStorageInstanceNo,
        String blockStorageSnapshotName, String blockStorageSnapshotDescription, String account, Platform platform,
        String regionCode, String snapshotTypeCode) {

    /** A classic request. */
    public SnapshotRequest(String requestId, boolean requestIdDerived, String blockStorageInstanceNo,
            String blockStorageSnapshotName, String blockStorageSnapshotDescription, String account) {
        this(requestId, requestIdDerived, blockStorageInstanceNo, blockStorageSnapshotName,
                blockStorageSnapshotDescription, account, Platform.CLASSIC, null, null);
    }

    public SnapshotOrder toOrder() {
        return new SnapshotOrder(requestId, blockStorageInstanceNo, blockStorageSnapshotName,
                blockStorageSnapshotDescription, account, platform, regionCode, snapshotTypeCode);
    }

    /** The request as journaled with its claim, so that it can be finished without its input. */
    public String toJournal() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("requestId", requestId);
        node.put("requestIdDerived", requestIdDerived);
        node.put("blockStorageInstanceNo", blockStorageInstanceNo);
        node.put("blockStorageSnapshotName", blockStorageSnapshotName);
        node.put("blockStorageSnapshotDescription", blockStorageSnapshotDescription);
        node.put("account", account);
        node.put("platform", platform.label());
        node.put("regionCode", regionCode);
        node.put("snapshotTypeCode", snapshotTypeCode);
        return node.toString();
    }

    public static SnapshotRequest fromJournal(String json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            // journals written before VPC support hold classic requests
            Platform platform = Platform.of(text(node, "platform")).orElse(Platform.CLASSIC);
            return new SnapshotRequest(text(node, "requestId"), node.path("requestIdDerived").asBoolean(),
                    text(node, "blockStorageInstanceNo"), text(node, "blockStorageSnapshotName"),
                    text(node, "blockStorageSnapshotDescription"), text(node, "account"), platform,
                    text(node, "regionCode"), text(node, "snapshotTypeCode"));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable journaled request", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
