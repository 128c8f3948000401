package io.github.ncpsnapshotbridge.httpapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.Exchange;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.ncpsnapshotbridge.intake.InboxFiles;
import io.github.ncpsnapshotbridge.pipeline.FieldError;
import io.github.ncpsnapshotbridge.pipeline.IntakeItem;
import io.github.ncpsnapshotbridge.pipeline.Rejection;
import io.github.ncpsnapshotbridge.pipeline.RequestBatch;
import io.github.ncpsnapshotbridge.pipeline.RequestBatchReader;
import io.github.ncpsnapshotbridge.pipeline.RequestClaims;
import io.github.ncpsnapshotbridge.pipeline.RequestValidator;
import io.github.ncpsnapshotbridge.pipeline.SnapshotRequest;
import io.github.ncpsnapshotbridge.settings.BridgeConfig;
import io.github.ncpsnapshotbridge.support.Json;

/**
 * A {@code POST /api/v1/snapshot-requests}: its body read and every request in it checked by the rules of every
 * channel ({@link #read}), then, once the requests are handed over, the answer ({@link #answer}). Each request gets a
 * requestId before it is checked: its own, the {@code Idempotency-Key} header's (a single request; {@code <key>:<n>}
 * for the n-th of an array), or a new UUID.
 */
@ApplicationScoped
public class Submissions {

    public static final String PATH = "/api/v1/snapshot-requests";
    /** Exchange property: each request's input identity (its derived request id), for {@link RequestClaims#accept}. */
    public static final String INPUTS = "bridgeHttpInputs";
    private static final String REQUEST_IDS = "bridgeHttpRequestIds";
    /** Exchange property: what {@link RequestClaims#accept} made of the call's requests. */
    public static final String ACCEPTANCE = "bridgeHttpAcceptance";
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final RequestBatchReader reader;
    private final RequestValidator validator;
    private final long maxBytes;
    private final int maxRequests;

    public Submissions(RequestBatchReader reader, RequestValidator validator, BridgeConfig config) {
        this.reader = reader;
        this.validator = validator;
        this.maxBytes = InboxFiles.byteSize(config.inbox().maxFileSize());
        this.maxRequests = config.inbox().maxRequestsPerFile();
    }

    /** The requests of the call on {@code exchange}, every one valid; otherwise the problem (400, 413, 415). */
    public List<SnapshotRequest> read(Exchange exchange) {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (!isJson(contentType)) {
            throw ApiProblem.notJson(contentType);
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        if (body.length > maxBytes) {
            throw ApiProblem.tooLarge("the body is " + body.length + " bytes, more than BRIDGE_INBOX_MAX_FILE_SIZE ("
                    + maxBytes + " bytes)");
        }
        String call = "http:" + UUID.randomUUID();
        RequestBatch batch = reader.read(body, RequestBatchReader.Format.JSON, call);
        if (batch.unreadable()) {
            throw ApiProblem.invalid("the body holds no request that can be read", batch.unreadableReason());
        }
        List<IntakeItem> items = batch.items();
        if (items.size() > maxRequests) {
            throw ApiProblem.tooLarge("the body holds " + items.size()
                    + " requests, more than BRIDGE_INBOX_MAX_REQUESTS_PER_FILE (" + maxRequests + ")");
        }
        boolean single = items.size() == 1 && items.get(0).derivedRequestId().equals(call);
        String key = exchange.getMessage().getHeader(IDEMPOTENCY_KEY, String.class);
        List<FieldError> errors = new ArrayList<>();
        List<SnapshotRequest> requests = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String where = single ? "" : "[" + (i + 1) + "].";
            IntakeItem item = items.get(i);
            if (item.json() instanceof ObjectNode json) {
                String given = json.path("requestId").isTextual() ? json.get("requestId").asText() : null;
                String keyed = key == null ? null : single ? key : key + ":" + (i + 1);
                if (given != null && keyed != null && !given.equals(keyed)) {
                    errors.add(new FieldError(where + "requestId", "differs from the Idempotency-Key header ('"
                            + keyed + "'); send one of them, or the same"));
                    continue;
                }
                if (given == null && !json.has("requestId")) {
                    json.put("requestId", keyed != null ? keyed : UUID.randomUUID().toString());
                }
            }
            Object checked = validator.validate(IntakeItem.parsed(item.raw(), item.json(), item.derivedRequestId()));
            if (checked instanceof Rejection rejection) {
                for (FieldError error : rejection.errors()) {
                    errors.add(new FieldError(where + error.field(), error.message()));
                }
            } else {
                requests.add((SnapshotRequest) checked);
                inputs.add(item.derivedRequestId());
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(single ? "the request breaks a rule; nothing was handed over"
                    : "a request breaks a rule; none was handed over", errors);
        }
        exchange.setProperty(INPUTS, inputs);
        exchange.setProperty(REQUEST_IDS, requests.stream().map(SnapshotRequest::requestId).toList());
        return requests;
    }

    /** 202 with each request's status link once all are handed over; 503 when a claim could not be made now. */
    public static void answer(Exchange exchange) {
        RequestClaims.Acceptance acceptance = exchange.getProperty(ACCEPTANCE, RequestClaims.Acceptance.class);
        if (acceptance.failure() != null) {
            throw ApiProblem.unavailable("the requests cannot be handed over now (" + acceptance.failure().getMessage()
                    + "); send them again: those already handed over are known by their requestId", 5);
        }
        @SuppressWarnings("unchecked")
        List<String> ids = exchange.getProperty(REQUEST_IDS, List.class);
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("requests");
        for (String id : ids) {
            list.addObject().put("requestId", id).put("href", PATH + "/" + id);
        }
        var message = exchange.getMessage();
        message.removeHeaders("*");
        if (ids.size() == 1) {
            message.setHeader("Location", PATH + "/" + ids.get(0));
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(body.toString());
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
    }
}
