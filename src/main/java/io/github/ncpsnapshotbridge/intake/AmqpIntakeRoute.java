package io.github.ncpsnapshotbridge.intake;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.builder.RouteBuilder;

import io.github.ncpsnapshotbridge.settings.AmqpSettings;
import io.github.ncpsnapshotbridge.settings.BridgeConfig;
import io.github.ncpsnapshotbridge.pipeline.WorkerPool;
import io.github.ncpsnapshotbridge.pipeline.SnapshotPipelineRoute;

/**
 * Requests from an AMQP 1.0 queue. Client acknowledgement: a message is settled only after the events of all its
 * requests are published; on an error or a lost connection it is not, and the broker delivers it again. Works with
 * brokers without AMQP transactions (RabbitMQ) as well as with ActiveMQ Artemis.
 */
@ApplicationScoped
public class AmqpIntakeRoute extends RouteBuilder {

    private final AmqpSettings settings;
    private final AmqpMessages messages;
    private final BridgeConfig config;

    public AmqpIntakeRoute(AmqpSettings settings, AmqpMessages messages, BridgeConfig config) {
        this.settings = settings;
        this.messages = messages;
        this.config = config;
    }

    @Override
    public void configure() {
        if (!settings.enabled() || !settings.amqp().intakeEnabled()) {
            return;
        }
        long retryMs = config.idempotency().retryInterval().toMillis();
        // names and counts as placeholders; durations from the typed settings (Camel does not read ISO durations)
        fromF("amqp:queue:{{bridge.amqp.requests-queue}}?acknowledgementModeName=CLIENT_ACKNOWLEDGE"
                + "&concurrentConsumers={{bridge.amqp.consumers}}&mapJmsMessage=false"
                + "&recoveryInterval=%d&testConnectionOnStartup=false&destinationResolver=#amqpAddresses",
                settings.amqp().reconnectInterval().toMillis())
                .routeId("amqp-intake").startupOrder(202)
                // a request that fails is tried again here, its message unsettled: a broker's redelivery limit
                // (Artemis, RabbitMQ quorum queues) would otherwise drop it with no event; on shutdown it goes back
                .errorHandler(defaultErrorHandler().maximumRedeliveries(-1)
                        .redeliveryDelay(retryMs).maximumRedeliveryDelay(30_000).useExponentialBackOff()
                        .allowRedeliveryWhileStopping(false).logStackTrace(false))
                .bean(messages, "read")
                .split(body()).stopOnException().parallelProcessing().executorService(WorkerPool.NAME)
                    .to(SnapshotPipelineRoute.PROCESS)
                .end();
    }
}
