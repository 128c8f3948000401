package io.github.ncpsnapshotbridge.intake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import io.github.ncpsnapshotbridge.settings.BridgeConfig;
import io.github.ncpsnapshotbridge.settings.KafkaSettings;
import io.github.ncpsnapshotbridge.pipeline.RequestClaims;
import io.github.ncpsnapshotbridge.pipeline.WorkerPool;
import io.github.ncpsnapshotbridge.pipeline.SnapshotPipelineRoute;

/**
 * Requests from a Kafka topic, at least once, many at a time. {@link KafkaRequestConsumer}s poll the topic (Camel's
 * Kafka consumer would block its polls while a request waits, see there) and hand each record to {@link #RECORD} on a
 * worker; a record's offset is committed once its requests' events are published and every earlier record of its
 * partition is finished and the journal has the outcomes of the records committed (one disk force per commit, not
 * one per request). The worker is free again once the record's events are handed to the Kafka producer: the
 * route goes on in the producer's callback when the broker has them, so a worker never waits out the producer's
 * linger or the broker's acknowledgement. A record that is not a valid request becomes a {@code rejected} event and is
 * committed like any other, so it never blocks its partition. The consumers start once every route runs and stop
 * first.
 */
@ApplicationScoped
public class KafkaIntakeRoute extends RouteBuilder {

    static final String RECORD = "direct:kafka-record";
    private static final Logger LOG = Logger.getLogger(KafkaIntakeRoute.class);

    private final KafkaSettings settings;
    private final KafkaRecords records;
    private final BridgeConfig config;
    private final RequestClaims claims;
    private final ExecutorService workers;
    private final List<KafkaRequestConsumer> consumers = new ArrayList<>();
    private volatile AsyncProducer recordRoute;

    public KafkaIntakeRoute(KafkaSettings settings, KafkaRecords records, BridgeConfig config, RequestClaims claims,
            @Named(WorkerPool.NAME) ExecutorService workers) {
        this.settings = settings;
        this.records = records;
        this.config = config;
        this.claims = claims;
        this.workers = workers;
    }

    @Override
    public void configure() {
        if (!settings.enabled() || !settings.kafka().intakeEnabled()) {
            return;
        }
        from(RECORD).routeId("kafka-intake")
                // outcomes are forced to disk once per offset commit (claims::syncOutcomes below), not once each
                .setProperty(RequestClaims.OUTCOMES_SYNCED_BY_INTAKE, constant(true))
                .bean(records, "read")
                // a record holds one request (it goes on as it is) or an array of them (one exchange each)
                .choice()
                    .when(body().isInstanceOf(List.class))
                        .split(body()).stopOnException()
                            .to(SnapshotPipelineRoute.PROCESS)
                        .end()
                    .endChoice()
                    .otherwise()
                        .to(SnapshotPipelineRoute.PROCESS)
                .end();

        BridgeConfig.Kafka kafka = settings.kafka();
        for (int i = 1; i <= kafka.consumers(); i++) {
            Properties props = settings.clientProperties("intake-" + i);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.groupId());
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(kafka.maxPollRecords()));
            props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(kafka.sessionTimeout().toMillis()));
            consumers.add(new KafkaRequestConsumer("kafka-intake-" + i, props, kafka.requestsTopic(), config.workers(),
                    config.idempotency().retryInterval(), this::handle, claims::syncOutcomes));
        }
        getContext().getManagementStrategy().addEventNotifier(new Lifecycle());
    }

    /**
     * Sends a record through {@link #RECORD} on a worker, asynchronously (a ProducerTemplate would hold the worker
     * until the callback); the future completes when the exchange is done, its events published or not. The worker is
     * released once the route has handed the events over (or is done).
     */
    private CompletableFuture<Void> handle(ConsumerRecord<String, byte[]> record, Runnable released) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        workers.execute(() -> {
            Exchange exchange = recordRoute.getEndpoint().createExchange();
            try {
                records.describe(record, exchange);
                recordRoute.process(exchange, doneSync -> finish(exchange, done));
            } catch (RuntimeException e) {
                exchange.setException(e);
                finish(exchange, done);
            } finally {
                released.run();
            }
        });
        return done;
    }

    private static void finish(Exchange exchange, CompletableFuture<Void> done) {
        if (exchange.getException() != null) {
            done.completeExceptionally(new IllegalStateException(exchange.getException()));
        } else {
            done.complete(null);
        }
    }

    /** Starts the consumers when Camel has started every route; stops them first when it stops. */
    private final class Lifecycle extends EventNotifierSupport {

        Lifecycle() {
            // only the context's own events: Camel then makes no event object for every exchange
            setIgnoreExchangeEvents(true);
            setIgnoreRouteEvents(true);
            setIgnoreServiceEvents(true);
            setIgnoreStepEvents(true);
        }

        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof CamelEvent.CamelContextStartedEvent
                    || event instanceof CamelEvent.CamelContextStoppingEvent;
        }

        @Override
        public void notify(CamelEvent event) throws Exception {
            if (event instanceof CamelEvent.CamelContextStartedEvent) {
                recordRoute = getContext().getEndpoint(RECORD).createAsyncProducer();
                ServiceHelper.startService(recordRoute);
                consumers.forEach(KafkaRequestConsumer::start);
                LOG.infof("Kafka intake: %d consumer(s) on %s", consumers.size(), settings.kafka().requestsTopic());
            } else {
                for (KafkaRequestConsumer consumer : consumers) {
                    consumer.stop(Duration.ofSeconds(30));
                }
                ServiceHelper.stopService(recordRoute);
            }
        }
    }
}
