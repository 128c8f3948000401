package io.github.ncpsnapshotbridge.events;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.jboss.logging.Logger;

import io.github.ncpsnapshotbridge.pipeline.PipelineSteps;

/** Puts an event on the message the way sinks want it, and logs each request's outcome once it is published. */
@ApplicationScoped
public class PublishSteps {

    public static final String EVENT = "bridgeEvent";
    /** Kafka record header naming the structured-mode content. */
    public static final String CONTENT_TYPE_HEADER = "content-type";

    private static final Logger OUTCOMES = Logger.getLogger("io.github.ncpsnapshotbridge.outcome");

    public void prepare(Exchange exchange) throws InvalidPayloadException {
        BridgeEvent event = exchange.getMessage().getMandatoryBody(BridgeEvent.class);
        exchange.setProperty(EVENT, event);
        Message message = exchange.getMessage();
        // only these headers reach a sink: Camel* ones steer the file sink and are never sent on by the Kafka one
        message.removeHeaders("*");
        message.setHeader(Exchange.FILE_NAME, event.id() + ".json");
        message.setHeader(KafkaConstants.KEY, event.requestId());
        message.setHeader(CONTENT_TYPE_HEADER, BridgeEvent.CONTENT_TYPE);
        message.setBody(event.json());
    }

    public void published(Exchange exchange) {
        BridgeEvent event = exchange.getProperty(EVENT, BridgeEvent.class);
        Long startedAt = exchange.getProperty(PipelineSteps.STARTED_AT, Long.class);
        long durationMs = startedAt == null ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
        OUTCOMES.infof("requestId=%s volume=%s outcome=%s attempts=%d durationMs=%d eventId=%s", event.requestId(),
                event.volume(), event.type().outcome(), event.attempts(), durationMs, event.id());
    }
}
