package io.github.ncpsnapshotbridge.pipeline;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.ncpsnapshotbridge.ncp.NcpError;
import io.github.ncpsnapshotbridge.ncp.NcpOutcome;
import io.github.ncpsnapshotbridge.ncp.NcpSnapshot;
import io.github.ncpsnapshotbridge.ncp.Platform;
import io.github.ncpsnapshotbridge.support.Json;

/** Maps each outcome to its CloudEvent (CloudEvents 1.0, JSON structured mode), as contract §3 lays them out. */
public class EventFactory {

    /** NCP writes {@code 2018-11-28T13:25:35+0900}; events carry ISO-8601 with a colon in the offset. */
    private static final DateTimeFormatter NCP_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ");
    private static final DateTimeFormatter ISO_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    private final String source;
    private final Clock clock;

    public EventFactory(String source, Clock clock) {
        this.source = source;
        this.clock = clock;
    }

    public BridgeEvent created(SnapshotRequest request, int attempts, NcpOutcome.Created created) {
        return created(request, attempts, created, null);
    }

    /** {@code tracking}: what the completion tracker is to follow once this event is published (null: nothing). */
    public BridgeEvent created(SnapshotRequest request, int attempts, NcpOutcome.Created created, String tracking) {
        ObjectNode data = requestData(request, attempts);
        ObjectNode ncp = data.putObject("ncp");
        ncp.put("requestId", created.ncpRequestId());
        ncp.put("returnCode", created.returnCode());
        ncp.put("returnMessage", created.returnMessage());
        data.set("snapshot", snapshot(created.snapshot()));
        return event(EventType.CREATED, request.requestId(), request.blockStorageInstanceNo(), attempts, data, tracking);
    }

    /** A created snapshot became usable ({@code CREAT}); {@code snapshot} as NCP lists it now. */
    public BridgeEvent completed(String requestId, String volume, Platform platform, NcpSnapshot snapshot) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("requestId", requestId);
        data.put("platform", platform.label());
        data.set("snapshot", snapshot(snapshot));
        return event(EventType.COMPLETED, requestId, volume, 0, data);
    }

    /**
     * A created snapshot will not become usable: NCP says so ({@code TERMT}, {@code NAVAI}), no longer lists it, or
     * it was not usable in time. {@code lastSeen}: the snapshot as NCP last showed it.
     */
    public BridgeEvent unavailable(String requestId, String volume, Platform platform, String reason,
            com.fasterxml.jackson.databind.JsonNode lastSeen) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("requestId", requestId);
        data.put("platform", platform.label());
        data.put("reason", reason);
        data.set("snapshot", lastSeen);
        return event(EventType.UNAVAILABLE, requestId, volume, 0, data);
    }

    public BridgeEvent failed(SnapshotRequest request, int attempts, NcpError error) {
        return failed(request, attempts, error, error.retryable());
    }

    /**
     * {@code retryable}: whether sending the request again could help and cannot make a second snapshot; false after an
     * attempt of unknown effect that no look-up settled, whatever the error's category.
     */
    public BridgeEvent failed(SnapshotRequest request, int attempts, NcpError error, boolean retryable) {
        ObjectNode data = requestData(request, attempts);
        ObjectNode e = data.putObject("error");
        if (error.httpStatus() == null) {
            e.putNull("httpStatus");
        } else {
            e.put("httpStatus", error.httpStatus());
        }
        e.put("returnCode", error.returnCode());
        e.put("returnMessage", error.returnMessage());
        e.put("category", error.category().label());
        e.put("retryable", retryable);
        return event(EventType.FAILED, request.requestId(), request.blockStorageInstanceNo(), attempts, data);
    }

    public BridgeEvent rejected(Rejection rejection) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        if (rejection.requestId() != null) {
            data.put("requestId", rejection.requestId());
        }
        var errors = data.putArray("errors");
        for (FieldError error : rejection.errors()) {
            errors.addObject().put("field", error.field()).put("message", error.message());
        }
        data.put("raw", rejection.raw());
        return event(EventType.REJECTED, rejection.effectiveRequestId(), rejection.volume(), 0, data);
    }

    public BridgeEvent duplicate(SnapshotRequest request) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("requestId", request.requestId());
        data.put("platform", request.platform().label());
        data.set("request", request(request));
        return event(EventType.DUPLICATE, request.requestId(), request.blockStorageInstanceNo(), 0, data);
    }

    /** NCP's date as ISO-8601 with offset; an unexpected format is passed on unchanged rather than lost. */
    public static String isoDate(String ncpDate) {
        if (ncpDate == null || ncpDate.isBlank()) {
            return ncpDate;
        }
        try {
            return OffsetDateTime.parse(ncpDate, NCP_DATE).format(ISO_DATE);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(ncpDate).format(ISO_DATE);
            } catch (DateTimeParseException again) {
                return ncpDate;
            }
        }
    }

    private ObjectNode requestData(SnapshotRequest request, int attempts) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("requestId", request.requestId());
        data.put("platform", request.platform().label());
        data.set("request", request(request));
        data.put("attempts", attempts);
        return data;
    }

    private static ObjectNode request(SnapshotRequest request) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        if (!request.requestIdDerived()) {
            node.put("requestId", request.requestId());
        }
        node.put("blockStorageInstanceNo", request.blockStorageInstanceNo());
        if (request.blockStorageSnapshotName() != null) {
            node.put("blockStorageSnapshotName", request.blockStorageSnapshotName());
        }
        if (request.blockStorageSnapshotDescription() != null) {
            node.put("blockStorageSnapshotDescription", request.blockStorageSnapshotDescription());
        }
        node.put("account", request.account());
        node.put("platform", request.platform().label());
        if (request.regionCode() != null) {
            node.put("regionCode", request.regionCode());
        }
        if (request.snapshotTypeCode() != null) {
            node.put("snapshotTypeCode", request.snapshotTypeCode());
        }
        return node;
    }

    /** NCP's fields under NCP's names, in NCP's order; {@code createDate} as ISO-8601 with offset. */
    public static ObjectNode snapshot(NcpSnapshot s) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        for (Map.Entry<String, Object> field : s.fields().entrySet()) {
            Object value = "createDate".equals(field.getKey()) && field.getValue() instanceof String date
                    ? isoDate(date) : field.getValue();
            node.set(field.getKey(), Json.MAPPER.valueToTree(value));
        }
        return node;
    }

    private BridgeEvent event(EventType type, String requestId, String volume, int attempts, ObjectNode data) {
        return event(type, requestId, volume, attempts, data, null);
    }

    private BridgeEvent event(EventType type, String requestId, String volume, int attempts, ObjectNode data,
            String tracking) {
        // the same request and outcome always give the same id, so consumers can drop an outcome published again
        String id = UUID.nameUUIDFromBytes((type.cloudEventType() + "\n" + requestId).getBytes(StandardCharsets.UTF_8))
                .toString();
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("specversion", "1.0");
        event.put("id", id);
        event.put("source", source);
        event.put("type", type.cloudEventType());
        if (volume != null) {
            event.put("subject", volume);
        }
        event.put("time", clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
        event.put("datacontenttype", "application/json");
        event.set("data", data);
        try {
            return new BridgeEvent(id, type, requestId, volume, attempts, Json.MAPPER.writeValueAsString(event), tracking);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise event " + id, e);
        }
    }
}
