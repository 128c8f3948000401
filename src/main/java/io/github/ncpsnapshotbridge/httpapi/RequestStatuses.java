package io.github.ncpsnapshotbridge.httpapi;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.ncpsnapshotbridge.idempotency.IdempotencyStore;
import io.github.ncpsnapshotbridge.idempotency.RecordedOutcome;
import io.github.ncpsnapshotbridge.idempotency.RequestRecord;
import io.github.ncpsnapshotbridge.pipeline.SnapshotRequest;
import io.github.ncpsnapshotbridge.support.Json;

/**
 * What became of a request, from the idempotency store alone, so every replica gives the same answer: {@code accepted}
 * (handed over; no create sent yet, or not for long), {@code in-progress} (its creates began to leave: told with its
 * claim's first renewal after that, so a request done within a third of its lease goes from accepted to its outcome),
 * {@code created}, {@code completed}, {@code unavailable} or {@code failed}. A request of another channel that broke a rule was never handed over and is not known here.
 */
@ApplicationScoped
public class RequestStatuses {

    private final IdempotencyStore store;

    public RequestStatuses(IdempotencyStore store) {
        this.store = store;
    }

    /** Answers a status query: the request named by the path's {@code requestId}, as JSON. */
    public void answer(org.apache.camel.Exchange exchange) {
        String document = of(exchange.getMessage().getHeader("requestId", String.class));
        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(org.apache.camel.Exchange.CONTENT_TYPE, "application/json");
        message.setBody(document);
    }

    /** The status document of {@code requestId} (JSON); a 404 problem for an id the store does not know. */
    public String of(String requestId) {
        RequestRecord record = store.find(requestId).orElseThrow(() -> ApiProblem.notFound("no request with requestId '"
                + requestId + "' is known (never handed over, or finished longer ago than BRIDGE_IDEMPOTENCY_RETENTION)"));
        ObjectNode status = Json.MAPPER.createObjectNode();
        status.put("requestId", requestId);
        RecordedOutcome outcome = RecordedOutcome.parse(record.outcome());
        if (record.inFlight()) {
            status.put("state", record.sending() ? "in-progress" : "accepted");
            // a new round after a retryable failure counts the earlier attempts
            status.put("attempts", outcome == null ? 0 : outcome.attempts());
        } else {
            status.put("state", state(outcome));
            status.put("attempts", outcome == null ? 0 : outcome.attempts());
        }
        if (record.payload() != null) {
            status.put("platform", SnapshotRequest.fromJournal(record.payload()).platform().label());
        }
        if (!record.inFlight() && outcome != null) {
            if (outcome.snapshot() != null) {
                ObjectNode snapshot = status.putObject("snapshot");
                snapshot.put("blockStorageSnapshotInstanceNo", outcome.snapshot());
                if (outcome.status() != null) {
                    snapshot.put("status", outcome.status());
                }
            }
            if (outcome.error() != null) {
                status.set("error", Json.MAPPER.valueToTree(readTree(outcome.error())));
            }
            ArrayNode events = status.putArray("events");
            outcome.eventIds().forEach(events::add);
        } else {
            status.putArray("events");
        }
        status.put("updated", record.at().toString());
        return status.toString();
    }

    private static String state(RecordedOutcome outcome) {
        if (outcome == null) {
            return "created";
        }
        if (outcome.completion() != null) {
            return outcome.completion();
        }
        return outcome.type();
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
