package io.github.ncpsnapshotbridge.pipeline;

/**
 * A CloudEvent ready to publish: {@code json} is the whole structured-mode document; the other fields repeat what
 * sinks need as keys, headers and log fields without parsing it again. {@code tracking}: for a {@code created} event,
 * what the completion tracker needs to follow the snapshot (null otherwise).
 */
public record BridgeEvent(String id, EventType type, String requestId, String volume, int attempts, String json,
        String tracking) {

    public static final String CONTENT_TYPE = "application/cloudevents+json";
    /** Where the pipeline hands an event to the configured sink; returns once the sink has it. */
    public static final String PUBLISH = "direct:publish-event";
    /** The exchange property holding the event being published. */
    public static final String PROPERTY = "bridgeEvent";

    public BridgeEvent(String id, EventType type, String requestId, String volume, int attempts, String json) {
        this(id, type, requestId, volume, attempts, json, null);
    }
}
