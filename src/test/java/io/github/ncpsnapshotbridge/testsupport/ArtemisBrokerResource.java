package io.github.ncpsnapshotbridge.testsupport;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts an embedded Artemis broker and turns the bridge's AMQP intake on. With the init argument {@code sink=amqp}
 * events go to AMQP as well.
 */
public class ArtemisBrokerResource implements QuarkusTestResourceLifecycleManager {

    public static final String REQUESTS = "ncp.snapshot.requests";
    public static final String EVENTS = "ncp.snapshot.events";

    private ArtemisBroker broker;
    private String sink;

    @Override
    public void init(Map<String, String> initArgs) {
        sink = initArgs.get("sink");
    }

    @Override
    public Map<String, String> start() {
        try {
            broker = new ArtemisBroker(Path.of("target", "test-runs", "artemis-" + UUID.randomUUID()).toAbsolutePath());
            broker.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test Artemis broker", e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("amqp.url", broker.url());
        config.put("bridge.amqp.reconnect-interval", "500ms");
        config.put("bridge.amqp.max-message-bytes", "65536");
        if (sink != null) {
            config.put("bridge.events-sink", sink);
        }
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(broker,
                new TestInjector.AnnotatedAndMatchesType(InjectArtemisBroker.class, ArtemisBroker.class));
    }

    @Override
    public void stop() {
        if (broker != null) {
            try {
                broker.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
