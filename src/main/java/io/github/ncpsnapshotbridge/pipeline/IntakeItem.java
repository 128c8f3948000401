package io.github.ncpsnapshotbridge.pipeline;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One request as an intake read it, before validation: its text, the parsed JSON (null when it could not be parsed,
 * then {@code parseErrors} says why) and the request id derived from where it came from, used when the request
 * carries none.
 */
public record IntakeItem(String raw, JsonNode json, List<FieldError> parseErrors, String derivedRequestId) {

    /** Exchange property: the item the request on the exchange came as. */
    public static final String PROPERTY = "bridgeItem";

    /** Exchange property, set by each intake: {@code file}, {@code kafka}, {@code amqp} (and {@code recovery}). */
    public static final String CHANNEL = "bridgeChannel";

    public static IntakeItem parsed(String raw, JsonNode json, String derivedRequestId) {
        return new IntakeItem(raw, json, List.of(), derivedRequestId);
    }

    public static IntakeItem unparsable(String raw, List<FieldError> errors, String derivedRequestId) {
        return new IntakeItem(raw, null, List.copyOf(errors), derivedRequestId);
    }
}
