package io.github.ncpsnapshotbridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.testsupport.AppProcess;
import io.github.ncpsnapshotbridge.testsupport.ArtemisBroker;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;

/** The packaged jar against an external AMQP 1.0 broker, configured with environment variables only. */
class AmqpJarIT {

    private static final String SECRET = "sk-amqp-jar-" + UUID.randomUUID();
    private static ArtemisBroker artemis;
    private static NcpFake ncp;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createDirectories(Path.of("target", "test-runs", "amqp-jar-" + UUID.randomUUID())).toAbsolutePath();
        artemis = new ArtemisBroker(work.resolve("artemis"));
        artemis.start();
        ncp = new NcpFake();
        ncp.account("AKAMQPJAR", SECRET);
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
        Map<String, String> env = Map.of("AMQP_URL", artemis.url(), "BRIDGE_EVENTS_SINK", "amqp",
                "NCP_API_URL", ncp.baseUrl(), "NCP_ACCESS_KEY", "AKAMQPJAR", "NCP_SECRET_KEY", SECRET,
                "BRIDGE_INBOX_DIR", work.resolve("inbox").toString());
        List<ArtemisBroker.Received> events = new CopyOnWriteArrayList<>();
        try (AppProcess app = AppProcess.start(work, env)) {
            artemis.sendText("ncp.snapshot.requests", "{\"requestId\":\"amqp-jar-1\",\"blockStorageInstanceNo\":\"750001\"}");
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                events.addAll(artemis.drain("ncp.snapshot.events", 200));
                return !events.isEmpty();
            });
            assertEquals("amqp-jar-1", events.get(0).properties().get("requestId"));
            assertEquals("ncp.blockstorage.snapshot.created", events.get(0).properties().get("type"));
            assertEquals("application/cloudevents+json", events.get(0).contentType());
            assertFalse(app.output().contains(SECRET));
        }
    }
}
