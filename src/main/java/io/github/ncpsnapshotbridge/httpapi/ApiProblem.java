package io.github.ncpsnapshotbridge.httpapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.ncpsnapshotbridge.pipeline.FieldError;
import io.github.ncpsnapshotbridge.support.Json;

/**
 * An HTTP API call that cannot be answered with success, and its answer: {@code application/problem+json} (RFC 9457)
 * with {@code type}, {@code title}, {@code status}, {@code detail}, and for broken rules the {@code errors} of a
 * {@code rejected} event.
 */
public class ApiProblem extends RuntimeException {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ApiProblem.class);
    public static final String CONTENT_TYPE = "application/problem+json";
    private static final String TYPES = "urn:ncp-snapshot-bridge:problem:";

    private final int status;
    private final String type;
    private final String title;
    private final List<FieldError> errors;
    private final Map<String, String> headers;

    private ApiProblem(int status, String type, String title, String detail, List<FieldError> errors,
            Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = errors;
        this.headers = headers;
    }

    public static ApiProblem unauthorized() {
        return new ApiProblem(401, "unauthorized", "Unauthorized",
                "this call needs 'Authorization: Bearer <token>' with a token the bridge accepts", List.of(),
                Map.of("WWW-Authenticate", "Bearer"));
    }

    public static ApiProblem invalid(String detail, List<FieldError> errors) {
        return new ApiProblem(400, "invalid-request", "Invalid request", detail, List.copyOf(errors), Map.of());
    }

    public static ApiProblem tooLarge(String detail) {
        return new ApiProblem(413, "too-large", "Content too large", detail, List.of(), Map.of());
    }

    public static ApiProblem notJson(String contentType) {
        return new ApiProblem(415, "unsupported-media-type", "Unsupported media type",
                "the body must be JSON (Content-Type: application/json), not " + (contentType == null ? "unstated"
                        : "'" + contentType + "'"), List.of(), Map.of());
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "not-found", "Not found", detail, List.of(), Map.of());
    }

    public static ApiProblem unavailable(String detail, int retryAfterSeconds) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Retry-After", Integer.toString(retryAfterSeconds));
        return new ApiProblem(503, "unavailable", "Service unavailable", detail, List.of(), headers);
    }

    public int status() {
        return status;
    }

    /** The problem as the HTTP answer on {@code exchange}'s message. */
    public void answer(Exchange exchange) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("type", TYPES + type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", getMessage());
        if (!errors.isEmpty()) {
            ArrayNode list = body.putArray("errors");
            for (FieldError error : errors) {
                list.addObject().put("field", error.field()).put("message", error.message());
            }
        }
        var message = exchange.getMessage();
        message.removeHeaders("*");
        headers.forEach(message::setHeader);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
        message.setBody(body.toString());
    }

    /** The answer to whatever {@code exchange} failed with: its problem, or a 500 (logged, without the call's body). */
    static void answerFailure(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ApiProblem problem) {
                problem.answer(exchange);
                return;
            }
        }
        LOG.warnf("An HTTP API call failed: %s", failure == null ? "unknown" : failure.toString());
        new ApiProblem(500, "internal", "Internal error", "the bridge could not answer this call; see its log",
                List.of(), Map.of()).answer(exchange);
    }
}
