package io.github.ncpsnapshotbridge.testsupport;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts a {@link KafkaBroker} for the test and turns the bridge's Kafka channel on. */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    public static final String REQUESTS = "ncp.snapshot.requests";
    public static final String EVENTS = "ncp.snapshot.events";

    private KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        try {
            broker = new KafkaBroker(Path.of("target", "test-runs", "kafka-" + UUID.randomUUID()).toAbsolutePath());
            broker.start();
            broker.createTopic(REQUESTS, 3);
            broker.createTopic(EVENTS, 3);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test Kafka broker", e);
        }
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers(),
                "bridge.kafka.session-timeout", "6s",
                "bridge.kafka.health-timeout", "1s");
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(broker, new TestInjector.AnnotatedAndMatchesType(InjectKafkaBroker.class, KafkaBroker.class));
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
