package io.github.ncpsnapshotbridge.events;

/**
 * A CloudEvent ready to publish: {@code json} is the whole structured-mode document; the other fields repeat what
 * sinks need as keys, headers and log fields without parsing it again.
 */
public record BridgeEvent(String id, EventType type, String requestId, String volume, int attempts, String json) {

    public static final String CONTENT_TYPE = "application/cloudevents+json";
}
