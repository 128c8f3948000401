package io.github.ncpsnapshotbridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.testsupport.AppProcess;
import io.github.ncpsnapshotbridge.testsupport.Requests;
import io.github.ncpsnapshotbridge.testsupport.BridgeJar;
import io.github.ncpsnapshotbridge.testsupport.KafkaBroker;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;

/**
 * Two packaged replicas sharing the Kafka store: only one of them polls the tracked snapshots at a time (its
 * {@code bridge_completion_polls_total} grows, the other's does not); when it is killed, the other takes over and
 * reports the snapshots it was tracking.
 */
class CompletionReplicasIT {

    private static final String REQUESTS = "ncp.snapshot.requests";
    private static final String EVENTS = "ncp.snapshot.events";
    private static final String POLLS = "bridge_completion_polls_total";

    @Test
    void onlyOneReplicaPollsAndTheOtherTakesOverWhenItDies() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "test-runs", "leader-" + UUID.randomUUID())).toAbsolutePath();
        try (KafkaBroker kafka = new KafkaBroker(work.resolve("kafka")); NcpFake ncp = new NcpFake()) {
            kafka.start();
            kafka.createTopic(REQUESTS, 3);
            kafka.createTopic(EVENTS, 3);
            ncp.readyAfterPolls(Integer.MAX_VALUE);
            BridgeJar jar = BridgeJar.against(ncp, "AKLEADER").kafka(kafka).with("BRIDGE_IDEMPOTENCY_STORE", "kafka")
                    .with("BRIDGE_KAFKA_SESSION_TIMEOUT", "6s").with("BRIDGE_COMPLETION_POLL_INTERVAL", "500ms")
                    .with("BRIDGE_NCP_LOOKUP_SETTLE", "2s");

            String run = "lead-" + UUID.randomUUID().toString().substring(0, 8);
            try (AppProcess one = jar.start(work.resolve("replica-1"));
                    AppProcess two = jar.start(work.resolve("replica-2"))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> one.httpPort().isPresent() && two.httpPort().isPresent());
                for (int i = 0; i < 4; i++) {
                    String id = run + "-" + i;
                    Requests request = Requests.of(id, NcpFake.randomVolume());
                    kafka.produce(REQUESTS, id, (i % 2 == 0 ? request.with("platform", "vpc") : request).json()
                            .getBytes(StandardCharsets.UTF_8));
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> events(kafka, run, "created") == 4);
                // leadership settled: one of them polls
                await().atMost(Duration.ofSeconds(60)).until(() -> one.metric(POLLS) + two.metric(POLLS) > 0);

                // windows of 3 s (10 polls of the leader); the group may still hand leadership over once after the
                // second replica joined, so up to five windows, of which one must show a single replica polling
                boolean onePolls = false;
                boolean twoPolls = false;
                List<String> windows = new ArrayList<>();
                for (int w = 0; w < 5 && !(onePolls ^ twoPolls); w++) {
                    double a = one.metric(POLLS);
                    double b = two.metric(POLLS);
                    Thread.sleep(3000);
                    onePolls = one.metric(POLLS) > a;
                    twoPolls = two.metric(POLLS) > b;
                    windows.add("one " + onePolls + ", two " + twoPolls);
                }
                assertTrue(onePolls ^ twoPolls, "exactly one replica polls: " + windows);
                assertEquals(0, events(kafka, run, "completed"), "still INIT");

                AppProcess leader = onePolls ? one : two;
                AppProcess other = onePolls ? two : one;
                double before = other.metric(POLLS);
                leader.kill();
                ncp.readyAfterPolls(0);
                await().atMost(Duration.ofSeconds(60)).until(() -> other.metric(POLLS) > before);
                await().atMost(Duration.ofSeconds(60)).until(() -> events(kafka, run, "completed") == 4);
            }
        }
    }

    private static long events(KafkaBroker kafka, String run, String type) {
        return kafka.readAll(EVENTS, Integer.MAX_VALUE, Duration.ofSeconds(2)).stream()
                .filter(r -> r.key() != null && r.key().startsWith(run) && r.value().contains("snapshot." + type + "\""))
                .count();
    }
}
