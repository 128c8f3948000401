package io.github.ncpsnapshotbridge.events;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

import io.github.ncpsnapshotbridge.pipeline.BridgeEvent;
import io.github.ncpsnapshotbridge.settings.AmqpSettings;
import io.github.ncpsnapshotbridge.settings.BridgeConfig;
import io.github.ncpsnapshotbridge.settings.KafkaSettings;

/**
 * Publishes each event to the configured sink and returns only once the sink has it. A sink that cannot take the
 * event (the broker down, the outbox not writable) is retried with growing pauses, without end: the request has been
 * sent to NCP already, so the outcome must not be lost, and the intake does not acknowledge its input meanwhile. A
 * rejected event the sink refuses as too large is retried in its small form instead, so it cannot hold a partition.
 */
@ApplicationScoped
public class EventPublisherRoute extends RouteBuilder {

    public static final String PUBLISH = BridgeEvent.PUBLISH;

    private final BridgeConfig config;
    private final KafkaSettings kafka;
    private final AmqpSettings amqp;
    private final SinkMessages messages;

    public EventPublisherRoute(BridgeConfig config, KafkaSettings kafka, AmqpSettings amqp, SinkMessages messages) {
        this.config = config;
        this.kafka = kafka;
        this.amqp = amqp;
        this.messages = messages;
    }

    @Override
    public void configure() {
        BridgeConfig.Publish retry = config.publish();
        from(PUBLISH).routeId("event-publisher")
                .errorHandler(defaultErrorHandler()
                        .maximumRedeliveries(-1)
                        .redeliveryDelay(retry.initialDelay().toMillis())
                        .useExponentialBackOff()
                        .maximumRedeliveryDelay(retry.maxDelay().toMillis())
                        // on shutdown give up, so the input stays unacknowledged and is read again after restart
                        .allowRedeliveryWhileStopping(false)
                        .retryAttemptedLogLevel(LoggingLevel.WARN)
                        .logStackTrace(false)
                        .onRedelivery(messages::fitAfterRefusal))
                .bean(messages, "prepare")
                .to(sinkUri())
                .bean(messages, "published");
    }

    /** Names come from application.properties as placeholders; which sink, and its checks, are decided here. */
    private String sinkUri() {
        return switch (messages.sink()) {
            // written to a temp file (a dot name, one per exchange) that is then renamed over any earlier file of the
            // same event in one step (TryRename: no existence check, no deleting first), so a reader of the outbox never
            // sees half an event, nor an event missing while it is published again
            case file -> "file:{{bridge.outbox-dir}}?tempFileName=.${file:name}.${exchangeId}.tmp&fileExist=TryRename"
                    + "&charset=UTF-8";
            case kafka -> {
                if (!kafka.enabled()) {
                    throw new IllegalStateException("BRIDGE_EVENTS_SINK=kafka needs KAFKA_BOOTSTRAP_SERVERS");
                }
                yield "kafka:{{bridge.kafka.events-topic}}?requestRequiredAcks=all&enableIdempotence=true"
                        + "&lazyStartProducer=true";
            }
            case amqp -> {
                if (!amqp.enabled()) {
                    throw new IllegalStateException("BRIDGE_EVENTS_SINK=amqp needs AMQP_URL");
                }
                yield "amqp:queue:{{bridge.amqp.events-address}}?jmsMessageType=Bytes&deliveryPersistent=true"
                        + "&messageCreatedStrategy=#cloudEventsContentType"
                        + "&destinationResolver=#amqpAddresses";
            }
        };
    }
}
