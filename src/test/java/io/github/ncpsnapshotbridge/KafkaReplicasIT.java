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
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.testsupport.AppProcess;
import io.github.ncpsnapshotbridge.testsupport.Requests;
import io.github.ncpsnapshotbridge.testsupport.BridgeJar;
import io.github.ncpsnapshotbridge.testsupport.KafkaBroker;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;

/**
 * Two packaged replicas in one consumer group, sharing the Kafka idempotency store. The second joins while NCP is
 * down, so partitions move between replicas while requests are in flight and waiting the outage out. Judged by what
 * NCP holds: one snapshot per request, every request {@code created}, none failed.
 */
class KafkaReplicasIT {

    private static final String REQUESTS = "ncp.snapshot.requests";
    private static final String EVENTS = "ncp.snapshot.events";
    private static final int REQUESTS_COUNT = 30;

    @Test
    void aReplicaJoiningDuringAnOutageMakesNoSecondSnapshotAndFailsNothing() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "test-runs", "replicas-" + UUID.randomUUID())).toAbsolutePath();
        try (KafkaBroker kafka = new KafkaBroker(work.resolve("kafka")); NcpFake ncp = new NcpFake()) {
            kafka.start();
            kafka.createTopic(REQUESTS, 6);
            kafka.createTopic(EVENTS, 3);
            ncp.answerDelay(Duration.ofMillis(300));
            BridgeJar jar = BridgeJar.against(ncp, "AKREPLICAS").kafka(kafka).with("BRIDGE_IDEMPOTENCY_STORE", "kafka")
                    .with("BRIDGE_IDEMPOTENCY_LEASE", "4s").with("BRIDGE_NCP_LOOKUP_SETTLE", "2s")
                    .with("BRIDGE_RETRY_MAX_DELAY", "2s").with("BRIDGE_KAFKA_SESSION_TIMEOUT", "6s")
                    .with("BRIDGE_NCP_MAX_CALLS_PER_SECOND", "20");

            String run = UUID.randomUUID().toString().substring(0, 8);
            List<String> volumes = new ArrayList<>();
            for (int i = 0; i < REQUESTS_COUNT; i++) {
                String volume = Integer.toString(770_000 + i);
                volumes.add(volume);
                ncp.seedSnapshot(volume, "app-nightly", "last night's backup");
            }
            try (AppProcess first = jar.start(work.resolve("replica-1"))) {
                for (int i = 0; i < REQUESTS_COUNT; i++) {
                    String id = "rep-" + run + "-" + i;
                    kafka.produce(REQUESTS, id, Requests.of(id, volumes.get(i)).with("blockStorageSnapshotName", "app-nightly")
                            .json().getBytes(StandardCharsets.UTF_8));
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> outcomes(kafka, run).size() >= 3);
                ncp.outage(Duration.ofSeconds(10));
                try (AppProcess second = jar.start(work.resolve("replica-2"))) {
                    await().atMost(Duration.ofSeconds(150)).until(() -> outcomes(kafka, run).keySet().size() == REQUESTS_COUNT);
                    Map<String, List<String>> outcomes = outcomes(kafka, run);
                    List<String> notCreated = outcomes.entrySet().stream()
                            .filter(e -> !e.getValue().contains("created") || e.getValue().contains("failed"))
                            .map(e -> e.getKey() + "=" + e.getValue()).toList();
                    assertTrue(notCreated.isEmpty(), "every request created, none failed: " + notCreated);
                    // it took records over: it retried one during the outage, or published an outcome of its own
                    assertTrue(second.output().contains("Kafka intake") || second.output().contains("outcome="),
                            "the second replica took part");
                }
            }
            List<String> wrong = volumes.stream().filter(v -> ncp.newSnapshotsOf(v).size() != 1)
                    .map(v -> v + ": " + ncp.newSnapshotsOf(v).size()).toList();
            assertTrue(wrong.isEmpty(), "volumes without exactly one new snapshot: " + wrong);
            Map<String, List<String>> outcomes = outcomes(kafka, run);
            for (int i = 0; i < REQUESTS_COUNT; i++) {
                assertEquals(1, outcomes.get("rep-" + run + "-" + i).stream().filter("created"::equals).count(),
                        "one created event per request");
            }
        }
    }

    /** The outcomes published per requestId of this run (created, duplicate, failed…), in log order. */
    private static Map<String, List<String>> outcomes(KafkaBroker kafka, String run) {
        return kafka.readAll(EVENTS, Integer.MAX_VALUE, Duration.ofSeconds(2)).stream()
                .filter(r -> r.key() != null && r.key().startsWith("rep-" + run + "-"))
                .collect(Collectors.groupingBy(ConsumerRecord::key,
                        Collectors.mapping(r -> r.value().replaceAll(".*\"type\":\"ncp\\.blockstorage\\.snapshot\\.(\\w+)\".*",
                                "$1"), Collectors.toList())));
    }
}
