package io.github.ncpsnapshotbridge.events;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.ncpsnapshotbridge.ncp.NcpError;
import io.github.ncpsnapshotbridge.ncp.NcpOutcome;
import io.github.ncpsnapshotbridge.ncp.model.BlockStorageSnapshot;
import io.github.ncpsnapshotbridge.ncp.model.CommonCode;
import io.github.ncpsnapshotbridge.pipeline.FieldError;
import io.github.ncpsnapshotbridge.support.Json;
import io.github.ncpsnapshotbridge.pipeline.Rejection;
import io.github.ncpsnapshotbridge.pipeline.SnapshotRequest;

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
        ObjectNode data = requestData(request, attempts);
        ObjectNode ncp = data.putObject("ncp");
        ncp.put("requestId", created.ncpRequestId());
        ncp.put("returnCode", created.returnCode());
        ncp.put("returnMessage", created.returnMessage());
        data.set("snapshot", snapshot(created.snapshot()));
        return event(EventType.CREATED, request.requestId(), request.blockStorageInstanceNo(), attempts, data);
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
        return node;
    }

    private static ObjectNode snapshot(BlockStorageSnapshot s) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("blockStorageSnapshotInstanceNo", s.getBlockStorageSnapshotInstanceNo());
        node.put("blockStorageSnapshotName", s.getBlockStorageSnapshotName());
        node.put("blockStorageSnapshotVolumeSize", s.getBlockStorageSnapshotVolumeSize());
        node.put("originalBlockStorageInstanceNo", s.getOriginalBlockStorageInstanceNo());
        node.put("originalBlockStorageName", s.getOriginalBlockStorageName());
        node.set("blockStorageSnapshotInstanceStatus", code(s.getBlockStorageSnapshotInstanceStatus()));
        node.set("blockStorageSnapshotInstanceOperation", code(s.getBlockStorageSnapshotInstanceOperation()));
        node.put("blockStorageSnapshotInstanceStatusName", s.getBlockStorageSnapshotInstanceStatusName());
        node.put("createDate", isoDate(s.getCreateDate()));
        node.put("blockStorageSnapshotInstanceDescription", s.getBlockStorageSnapshotInstanceDescription());
        node.put("serverImageProductCode", s.getServerImageProductCode());
        node.put("osInformation", s.getOsInformation());
        return node;
    }

    private static ObjectNode code(CommonCode code) {
        if (code == null) {
            return null;
        }
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("code", code.getCode());
        node.put("codeName", code.getCodeName());
        return node;
    }

    private BridgeEvent event(EventType type, String requestId, String volume, int attempts, ObjectNode data) {
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
            return new BridgeEvent(id, type, requestId, volume, attempts, Json.MAPPER.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise event " + id, e);
        }
    }
}
