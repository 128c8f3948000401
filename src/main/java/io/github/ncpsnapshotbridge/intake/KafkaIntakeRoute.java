package io.github.ncpsnapshotbridge.intake;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.builder.RouteBuilder;

import io.github.ncpsnapshotbridge.config.BridgeConfig;
import io.github.ncpsnapshotbridge.config.KafkaSettings;
import io.github.ncpsnapshotbridge.config.WorkerPool;
import io.github.ncpsnapshotbridge.pipeline.SnapshotPipelineRoute;

/**
 * Requests from a Kafka topic, at least once: a record's offset is committed only after the events of all its
 * requests are published. On an error before that, the consumer seeks back to the record and reads it again, so
 * nothing is skipped; a record that is not a valid request becomes a {@code rejected} event and is committed like any
 * other, so it never blocks its partition.
 */
@ApplicationScoped
public class KafkaIntakeRoute extends RouteBuilder {

    private final KafkaSettings settings;
    private final KafkaIntakeSteps steps;

    public KafkaIntakeRoute(KafkaSettings settings, KafkaIntakeSteps steps) {
        this.settings = settings;
        this.steps = steps;
    }

    @Override
    public void configure() {
        if (!settings.enabled() || !settings.kafka().intakeEnabled()) {
            return;
        }
        BridgeConfig.Kafka kafka = settings.kafka();
        fromF("kafka:%s?groupId=%s&autoOffsetReset=earliest&autoCommitEnable=false&allowManualCommit=true"
                + "&breakOnFirstError=true&maxPollRecords=%d&consumersCount=%d&sessionTimeoutMs=%d"
                + "&valueDeserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer",
                kafka.requestsTopic(), kafka.groupId(), kafka.maxPollRecords(), kafka.consumers(),
                kafka.sessionTimeout().toMillis())
                .routeId("kafka-intake").startupOrder(201)
                .bean(steps, "read")
                .split(body()).stopOnException().parallelProcessing().executorService(WorkerPool.NAME)
                    .to(SnapshotPipelineRoute.PROCESS)
                .end()
                .bean(steps, "commit");
    }
}
