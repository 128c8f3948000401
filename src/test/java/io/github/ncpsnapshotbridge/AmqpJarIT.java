package io.github.ncpsnapshotbridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.testsupport.AppProcess;
import io.github.ncpsnapshotbridge.testsupport.Requests;
import io.github.ncpsnapshotbridge.testsupport.BridgeJar;
import io.github.ncpsnapshotbridge.testsupport.ArtemisBroker;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;

/** The packaged jar against an external AMQP 1.0 broker, configured with environment variables only. */
class AmqpJarIT {

    private static ArtemisBroker artemis;
    private static NcpFake ncp;
    private static BridgeJar jar;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createDirectories(Path.of("target", "test-runs", "amqp-jar-" + UUID.randomUUID())).toAbsolutePath();
        artemis = new ArtemisBroker(work.resolve("artemis"));
        artemis.start();
        ncp = new NcpFake();
        jar = BridgeJar.against(ncp, "AKAMQPJAR").with("AMQP_URL", artemis.url()).with("BRIDGE_EVENTS_SINK", "amqp")
                .with("BRIDGE_INBOX_DIR", work.resolve("inbox").toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (ncp != null) {
            ncp.close();
        }
        if (artemis != null) {
            artemis.close();
        }
    }

    @Test
    void requestsFromAQueueGiveEventsOnAnAddress() throws Exception {
        List<ArtemisBroker.Received> events = new CopyOnWriteArrayList<>();
        try (AppProcess app = jar.start(work)) {
            artemis.sendText("ncp.snapshot.requests", Requests.of("amqp-jar-1", "750001").json());
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                events.addAll(artemis.drain("ncp.snapshot.events", 200));
                return !events.isEmpty();
            });
            assertEquals("amqp-jar-1", events.get(0).properties().get("requestId"));
            assertEquals("ncp.blockstorage.snapshot.created", events.get(0).properties().get("type"));
            assertEquals("application/cloudevents+json", events.get(0).contentType());
            assertFalse(app.output().contains(jar.secret()));
        }
    }
}
