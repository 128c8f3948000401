package io.github.ncpsnapshotbridge.events;

import io.github.ncpsnapshotbridge.pipeline.BridgeEvent;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.util.ObjectHelper;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.github.ncpsnapshotbridge.settings.BridgeConfig;
import io.github.ncpsnapshotbridge.settings.KafkaSettings;
import io.github.ncpsnapshotbridge.metrics.BridgeMetrics;
import io.github.ncpsnapshotbridge.pipeline.EventFactory;
import io.github.ncpsnapshotbridge.pipeline.InFlight;
import io.github.ncpsnapshotbridge.pipeline.IntakeItem;

/** Puts an event on the message the way the configured sink wants it, and logs each request's outcome once published. */
@ApplicationScoped
public class SinkMessages {

    public static final String EVENT = BridgeEvent.PROPERTY;
    /** Kafka record header naming the structured-mode content. */
    public static final String CONTENT_TYPE_HEADER = "content-type";
    /** AMQP application properties. */
    public static final String REQUEST_ID_PROPERTY = "requestId";
    public static final String TYPE_PROPERTY = "type";

    private static final Logger OUTCOMES = Logger.getLogger("io.github.ncpsnapshotbridge.outcome");

    private static final Logger LOG = Logger.getLogger(SinkMessages.class);

    private final BridgeConfig.EventsSink sink;
    private final BridgeMetrics metrics;
    private final EventFactory events;

    public SinkMessages(BridgeConfig config, KafkaSettings kafka, BridgeMetrics metrics, EventFactory events) {
        this.sink = kafka.sink(config);
        this.metrics = metrics;
        this.events = events;
    }

    public BridgeConfig.EventsSink sink() {
        return sink;
    }

    public void prepare(Exchange exchange) throws InvalidPayloadException {
        put(exchange, exchange.getMessage().getMandatoryBody(BridgeEvent.class));
    }

    /**
     * Before the sink is tried again: a record the sink refused as too large (Kafka's {@code RecordTooLargeException},
     * from the producer's or the topic's limit) would be refused for ever and hold its partition, so a rejected event
     * is replaced by its small form. Other events are bounded by the request's own limits and are left as they are.
     */
    public void fitAfterRefusal(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (ObjectHelper.getException(RecordTooLargeException.class, failure) == null) {
            return;
        }
        BridgeEvent event = exchange.getProperty(EVENT, BridgeEvent.class);
        int bytes = event.json().getBytes(StandardCharsets.UTF_8).length;
        BridgeEvent small = events.smallerRejection(event, bytes);
        if (small == null) {
            LOG.errorf("the events sink refuses event %s (%s, %d bytes) as too large; raise the topic's max.message.bytes",
                    event.id(), event.type().outcome(), bytes);
            return;
        }
        LOG.warnf("the events sink refused rejected event %s of request %s as too large (%d bytes); publishing its"
                + " small form", event.id(), event.requestId(), bytes);
        put(exchange, small);
    }

    private void put(Exchange exchange, BridgeEvent event) {
        exchange.setProperty(EVENT, event);
        Message message = exchange.getMessage();
        // whatever is left on the message would travel as a header or property of the sink
        message.removeHeaders("*");
        switch (sink) {
            case file -> {
                message.setHeader(Exchange.FILE_NAME, event.id() + ".json");
                // ends with a line break, so that `cat` of several events shows one per line
                message.setBody(event.json() + "\n");
            }
            case kafka -> {
                message.setHeader(KafkaConstants.KEY, event.requestId());
                message.setHeader(CONTENT_TYPE_HEADER, BridgeEvent.CONTENT_TYPE);
                message.setBody(event.json());
            }
            case amqp -> {
                message.setHeader(REQUEST_ID_PROPERTY, event.requestId());
                message.setHeader(TYPE_PROPERTY, event.type().cloudEventType());
                message.setBody(event.json().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    public void published(Exchange exchange) {
        BridgeEvent event = exchange.getProperty(EVENT, BridgeEvent.class);
        Long startedAt = exchange.getProperty(InFlight.STARTED_AT, Long.class);
        long durationMs = startedAt == null ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
        String channel = exchange.getProperty(IntakeItem.CHANNEL, String.class);
        metrics.outcome(channel, event.type().outcome());
        if (!OUTCOMES.isInfoEnabled()) {
            return;
        }
        // the same facts as fields of the JSON log line, for log queries; never the request body
        MDC.put("requestId", event.requestId());
        MDC.put("volume", event.volume() == null ? "" : event.volume());
        MDC.put("outcome", event.type().outcome());
        MDC.put("attempts", Integer.toString(event.attempts()));
        MDC.put("durationMs", Long.toString(durationMs));
        MDC.put("channel", channel == null ? "" : channel);
        try {
            OUTCOMES.infof("requestId=%s volume=%s outcome=%s attempts=%d durationMs=%d channel=%s eventId=%s",
                    event.requestId(), event.volume(), event.type().outcome(), event.attempts(), durationMs, channel, event.id());
        } finally {
            for (String key : new String[] {"requestId", "volume", "outcome", "attempts", "durationMs", "channel"}) {
                MDC.remove(key);
            }
        }
    }
}
