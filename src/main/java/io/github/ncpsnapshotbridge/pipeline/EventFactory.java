package io.github.ncpsnapshotbridge.pipeline;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.ncpsnapshotbridge.ncp.NcpError;
import io.github.ncpsnapshotbridge.ncp.NcpOutcome;
import io.github.ncpsnapshotbridge.ncp.NcpSnapshot;
import io.github.ncpsnapshotbridge.ncp.Platform;
import io.github.ncpsnapshotbridge.idempotency.RecordedOutcome;
import io.github.ncpsnapshotbridge.support.Json;

/** Maps each outcome to its CloudEvent (CloudEvents 1.0, JSON structured mode), as contract §3 lays them out. */
public class EventFactory {

    /** NCP writes {@code 2018-11-28T13:25:35+0900}; events carry ISO-8601 with a colon in the offset. */
    private static final DateTimeFormatter NCP_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ");
    private static final DateTimeFormatter ISO_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    /** How much of the first error a {@link #smallerRejection} quotes. */
    private static final int MAX_QUOTED_ERROR = 300;

    private final String source;
    private final Clock clock;

    public EventFactory(String source, Clock clock) {
        this.source = source;
        this.clock = clock;
    }

    public BridgeEvent created(SnapshotRequest request, int attempts, NcpOutcome.Created created) {
        return created(request, attempts, created, null);
    }

    public BridgeEvent created(SnapshotRequest request, int attempts, NcpOutcome.Created created, String tracking) {
        return created(request, attempts, created, tracking, 0);
    }

    /**
     * {@code tracking}: what the completion tracker is to follow once this event is published (null: nothing).
     * {@code round}: 0 for a request's first round, n for its n-th sending after a retryable failure (the event's id
     * differs from the earlier rounds'); {@code attempts} counts every round's.
     */
    public BridgeEvent created(SnapshotRequest request, int attempts, NcpOutcome.Created created, String tracking,
            int round) {
        return event(EventType.CREATED, request.requestId(), roundOf(round), request.blockStorageInstanceNo(), attempts,
                tracking, data -> {
            requestData(data, request, attempts);
            data.writeObjectFieldStart("ncp");
            data.writeStringField("requestId", created.ncpRequestId());
            data.writeStringField("returnCode", created.returnCode());
            data.writeStringField("returnMessage", created.returnMessage());
            data.writeEndObject();
            data.writeFieldName("snapshot");
            writeSnapshot(data, created.snapshot());
        });
    }

    /** A created snapshot became usable ({@code CREAT}); {@code snapshot} as NCP lists it now. */
    public BridgeEvent completed(String requestId, String volume, Platform platform, NcpSnapshot snapshot) {
        return event(EventType.COMPLETED, requestId, volume, 0, null, data -> {
            data.writeStringField("requestId", requestId);
            data.writeStringField("platform", platform.label());
            data.writeFieldName("snapshot");
            writeSnapshot(data, snapshot);
        });
    }

    /**
     * A created snapshot will not become usable: NCP says so ({@code TERMT}, {@code NAVAI}), no longer lists it, or
     * it was not usable in time. {@code lastSeen}: the snapshot as NCP last showed it.
     */
    public BridgeEvent unavailable(String requestId, String volume, Platform platform, String reason,
            JsonNode lastSeen) {
        return event(EventType.UNAVAILABLE, requestId, volume, 0, null, data -> {
            data.writeStringField("requestId", requestId);
            data.writeStringField("platform", platform.label());
            data.writeStringField("reason", reason);
            data.writeFieldName("snapshot");
            if (lastSeen == null) {
                data.writeNull();
            } else {
                data.writeTree(lastSeen);
            }
        });
    }

    public BridgeEvent failed(SnapshotRequest request, int attempts, NcpError error) {
        return failed(request, attempts, error, error.retryable());
    }

    /**
     * {@code retryable}: whether sending the request again could help and cannot make a second snapshot; false after an
     * attempt of unknown effect that no look-up settled, whatever the error's category.
     */
    public BridgeEvent failed(SnapshotRequest request, int attempts, NcpError error, boolean retryable) {
        return failed(request, attempts, error, retryable, 0);
    }

    /** {@code round} as in {@link #created(SnapshotRequest, int, NcpOutcome.Created, String, int)}. */
    public BridgeEvent failed(SnapshotRequest request, int attempts, NcpError error, boolean retryable, int round) {
        return event(EventType.FAILED, request.requestId(), roundOf(round), request.blockStorageInstanceNo(), attempts,
                null, data -> {
            requestData(data, request, attempts);
            data.writeFieldName("error");
            data.writeTree(error(error, retryable));
        });
    }

    public BridgeEvent rejected(Rejection rejection) {
        return event(EventType.REJECTED, rejection.effectiveRequestId(), rejection.volume(), 0, null, data -> {
            if (rejection.requestId() != null) {
                data.writeStringField("requestId", rejection.requestId());
            }
            data.writeArrayFieldStart("errors");
            for (FieldError error : rejection.errors()) {
                data.writeStartObject();
                data.writeStringField("field", error.field());
                data.writeStringField("message", error.message());
                data.writeEndObject();
            }
            data.writeEndArray();
            data.writeStringField("raw", rejection.raw());
        });
    }

    /**
     * The small form of a {@code rejected} event the sink refused as too large (a Kafka topic's
     * {@code max.message.bytes} below our caps): the same id, request id and subject, one error naming the size and
     * the first original error, and no {@code raw}. Null for any other type: those are bounded by the request's own
     * limits, and cutting them would drop what the consumer needs.
     */
    public BridgeEvent smallerRejection(BridgeEvent event, int bytes) {
        if (event.type() != EventType.REJECTED) {
            return null;
        }
        JsonNode data;
        try {
            data = Json.MAPPER.readTree(event.json()).path("data");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read back event " + event.id(), e);
        }
        JsonNode first = data.path("errors").path(0);
        String firstError = first.isMissingNode() ? "none"
                : first.path("field").asText() + ": " + first.path("message").asText();
        if (firstError.length() > MAX_QUOTED_ERROR) {
            firstError = firstError.substring(0, MAX_QUOTED_ERROR) + "…";
        }
        String requestId = data.hasNonNull("requestId") ? data.get("requestId").asText() : null;
        FieldError error = new FieldError("event", "the rejected event was " + bytes
                + " bytes, more than the events sink takes; its errors and raw text are left out. First error: "
                + firstError);
        return rejected(new Rejection(List.of(error), "", requestId, event.volume(), event.requestId()));
    }

    /**
     * A request sent again after its outcome: {@code previous} names that outcome (null when the record kept none).
     * {@code input}: the identity of the input that brought it (its derived request id), so that each input sent
     * again gets an event id of its own, and the same input delivered again keeps it.
     */
    public BridgeEvent duplicate(SnapshotRequest request, RecordedOutcome previous, String input) {
        return event(EventType.DUPLICATE, request.requestId(), input == null ? null : "input " + input,
                request.blockStorageInstanceNo(), 0, null, data -> {
            data.writeStringField("requestId", request.requestId());
            data.writeStringField("platform", request.platform().label());
            data.writeFieldName("request");
            writeRequest(data, request);
            if (previous != null) {
                data.writeObjectFieldStart("previous");
                data.writeStringField("type", EventType.ofOutcome(previous.type()).cloudEventType());
                if (previous.eventId() != null) {
                    data.writeStringField("id", previous.eventId());
                }
                data.writeNumberField("attempts", previous.attempts());
                if (previous.snapshot() != null) {
                    data.writeStringField("snapshot", previous.snapshot());
                }
                if (previous.error() != null) {
                    data.writeFieldName("error");
                    data.writeTree(Json.MAPPER.readTree(previous.error()));
                }
                data.writeEndObject();
            }
        });
    }

    /** A failure's {@code error} object, as its event and the store keep it. */
    public static ObjectNode error(NcpError error, boolean retryable) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        if (error.httpStatus() == null) {
            node.putNull("httpStatus");
        } else {
            node.put("httpStatus", error.httpStatus());
        }
        node.put("returnCode", error.returnCode());
        node.put("returnMessage", error.returnMessage());
        node.put("category", error.category().label());
        node.put("retryable", retryable);
        return node;
    }

    private static String roundOf(int round) {
        return round > 0 ? "round " + round : null;
    }

    /** NCP's date as ISO-8601 with offset; an unexpected format is passed on unchanged rather than lost. */
    public static String isoDate(String ncpDate) {
        if (ncpDate == null || ncpDate.isBlank()) {
            return ncpDate;
        }
        String usual = isoDateOfNcpForm(ncpDate);
        if (usual != null) {
            return usual;
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

    /**
     * The form NCP writes ({@code 2018-11-28T13:25:35+0900}), checked field by field and rewritten with a colon in the
     * offset ({@code Z} for UTC) as the formatters would, without their cost on every event; null for anything else,
     * which the formatters then judge.
     */
    static String isoDateOfNcpForm(String d) {
        if (d.length() != 24 || d.charAt(4) != '-' || d.charAt(7) != '-' || d.charAt(10) != 'T' || d.charAt(13) != ':'
                || d.charAt(16) != ':' || d.charAt(19) != '+' && d.charAt(19) != '-') {
            return null;
        }
        int year = digits(d, 0, 4);
        int month = digits(d, 5, 7);
        int day = digits(d, 8, 10);
        int hour = digits(d, 11, 13);
        int minute = digits(d, 14, 16);
        int second = digits(d, 17, 19);
        int offsetHours = digits(d, 20, 22);
        int offsetMinutes = digits(d, 22, 24);
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > YearMonth.of(year, month).lengthOfMonth()
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
                || offsetHours < 0 || offsetHours > 18 || offsetMinutes < 0 || offsetMinutes > 59
                || offsetHours == 18 && offsetMinutes > 0) {
            return null;
        }
        String offset = offsetHours == 0 && offsetMinutes == 0 ? "Z"
                : d.charAt(19) + d.substring(20, 22) + ":" + d.substring(22, 24);
        return d.substring(0, 19) + offset;
    }

    /** The decimal number in {@code s[from, to)}, or -1 when that is not all ASCII digits. */
    private static int digits(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static void requestData(JsonGenerator data, SnapshotRequest request, int attempts) throws IOException {
        data.writeStringField("requestId", request.requestId());
        data.writeStringField("platform", request.platform().label());
        data.writeFieldName("request");
        writeRequest(data, request);
        data.writeNumberField("attempts", attempts);
    }

    private static void writeRequest(JsonGenerator json, SnapshotRequest request) throws IOException {
        json.writeStartObject();
        if (!request.requestIdDerived()) {
            json.writeStringField("requestId", request.requestId());
        }
        json.writeStringField("blockStorageInstanceNo", request.blockStorageInstanceNo());
        if (request.blockStorageSnapshotName() != null) {
            json.writeStringField("blockStorageSnapshotName", request.blockStorageSnapshotName());
        }
        if (request.blockStorageSnapshotDescription() != null) {
            json.writeStringField("blockStorageSnapshotDescription", request.blockStorageSnapshotDescription());
        }
        json.writeStringField("account", request.account());
        json.writeStringField("platform", request.platform().label());
        if (request.regionCode() != null) {
            json.writeStringField("regionCode", request.regionCode());
        }
        if (request.snapshotTypeCode() != null) {
            json.writeStringField("snapshotTypeCode", request.snapshotTypeCode());
        }
        json.writeEndObject();
    }

    /** NCP's fields under NCP's names, in NCP's order; {@code createDate} as ISO-8601 with offset. */
    public static ObjectNode snapshot(NcpSnapshot s) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        for (Map.Entry<String, Object> field : s.fields().entrySet()) {
            node.set(field.getKey(), Json.MAPPER.valueToTree(eventValue(field)));
        }
        return node;
    }

    /** {@link #snapshot} written straight into an event. */
    private static void writeSnapshot(JsonGenerator json, NcpSnapshot s) throws IOException {
        json.writeStartObject();
        for (Map.Entry<String, Object> field : s.fields().entrySet()) {
            json.writeFieldName(field.getKey());
            writeValue(json, eventValue(field));
        }
        json.writeEndObject();
    }

    /** The values a snapshot holds (text, numbers, flags, codes as maps) written directly; anything else by Jackson. */
    private static void writeValue(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof String text) {
            json.writeString(text);
        } else if (value instanceof Long number) {
            json.writeNumber(number);
        } else if (value instanceof Integer number) {
            json.writeNumber(number);
        } else if (value instanceof Boolean flag) {
            json.writeBoolean(flag);
        } else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                json.writeFieldName(String.valueOf(entry.getKey()));
                writeValue(json, entry.getValue());
            }
            json.writeEndObject();
        } else {
            json.writeObject(value);
        }
    }

    private static Object eventValue(Map.Entry<String, Object> field) {
        return "createDate".equals(field.getKey()) && field.getValue() instanceof String date ? isoDate(date)
                : field.getValue();
    }

    /** Writes an event's {@code data} object's fields. */
    @FunctionalInterface
    private interface DataWriter {
        void write(JsonGenerator data) throws IOException;
    }

    private BridgeEvent event(EventType type, String requestId, String volume, int attempts, String tracking,
            DataWriter data) {
        return event(type, requestId, null, volume, attempts, tracking, data);
    }

    /** {@code distinct}: what else tells this event from others of its type and request (null: nothing). */
    private BridgeEvent event(EventType type, String requestId, String distinct, String volume, int attempts,
            String tracking, DataWriter data) {
        // the same request and outcome always give the same id, so consumers can drop an outcome published again
        String identity = type.cloudEventType() + "\n" + requestId + (distinct == null ? "" : "\n" + distinct);
        String id = UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString();
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator event = Json.MAPPER.getFactory().createGenerator(out)) {
            event.writeStartObject();
            event.writeStringField("specversion", "1.0");
            event.writeStringField("id", id);
            event.writeStringField("source", source);
            event.writeStringField("type", type.cloudEventType());
            if (volume != null) {
                event.writeStringField("subject", volume);
            }
            event.writeStringField("time", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
            event.writeStringField("datacontenttype", "application/json");
            event.writeObjectFieldStart("data");
            data.write(event);
            event.writeEndObject();
            event.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise event " + id, e);
        }
        return new BridgeEvent(id, type, requestId, volume, attempts, out.toString(), tracking);
    }
}
