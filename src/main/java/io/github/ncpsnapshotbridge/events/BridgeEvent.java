package io.github.ncpsnapshotbridge.events;

/**
 * A CloudEvent ready to publish: {@code json} is the whole structured-mode document; the other fields repeat what
 * sinks need as keys, headers and log fields without parsing it again. {@code tracking}: for a {@code created} event,
 * what the completion tracker needs to follow the snapshot (null otherwise).
 */
public record BridgeEvent(String id, EventType type, String requestId, String volume, int attempts, String json,
        String tracking) {

    public static final String CONTENT_TYPE = "application/cloudevents+json";

    public BridgeEvent(String id, EventType type, String requestId, String volume, int attempts, String json) {
        this(id, type, requestId, volume, attempts, json, null);
    }
}
