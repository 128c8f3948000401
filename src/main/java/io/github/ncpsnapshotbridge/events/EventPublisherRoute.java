package io.github.ncpsnapshotbridge.events;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.builder.RouteBuilder;

import io.github.ncpsnapshotbridge.config.BridgeConfig;

/** Publishes each event to the configured sink; returns only once the sink has it. */
@ApplicationScoped
public class EventPublisherRoute extends RouteBuilder {

    public static final String PUBLISH = "direct:publish-event";

    private final BridgeConfig config;
    private final PublishSteps steps;

    public EventPublisherRoute(BridgeConfig config, PublishSteps steps) {
        this.config = config;
        this.steps = steps;
    }

    @Override
    public void configure() {
        from(PUBLISH).routeId("event-publisher")
                .bean(steps, "prepare")
                .to(sinkUri())
                .bean(steps, "published");
    }

    private String sinkUri() {
        BridgeConfig.EventsSink sink = config.eventsSink().orElse(BridgeConfig.EventsSink.file);
        if (sink != BridgeConfig.EventsSink.file) {
            throw new IllegalStateException("BRIDGE_EVENTS_SINK=" + sink + " is not available in this version");
        }
        // the temp name starts with a dot, so a reader of the outbox never sees a half-written event
        return "file:" + config.outboxDir() + "?fileName=${header." + PublishSteps.EVENT_ID_HEADER
                + "}.json&tempFileName=.${file:name}.tmp&charset=UTF-8";
    }
}
