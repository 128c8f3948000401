package io.github.ncpsnapshotbridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.testsupport.AppProcess;
import io.github.ncpsnapshotbridge.testsupport.Requests;
import io.github.ncpsnapshotbridge.testsupport.BridgeJar;
import io.github.ncpsnapshotbridge.testsupport.KafkaBroker;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;

/**
 * The packaged jar against a standalone Kafka broker, configured with environment variables only (as the README's
 * "Kafka" section does), killed with SIGKILL while a request is between consume and publish; and with one worker and
 * a long producer linger, to show that a worker does not wait for its event to reach the broker.
 */
class KafkaJarIT {

    private static final String REQUESTS = "ncp.snapshot.requests";
    private static final String EVENTS = "ncp.snapshot.events";

    private static KafkaBroker kafka;
    private static NcpFake ncp;
    private static BridgeJar jar;
    private static Path work;

    @BeforeAll
    static void startBrokerAndFake() throws Exception {
        work = Files.createDirectories(Path.of("target", "test-runs", "kafka-jar-" + UUID.randomUUID())).toAbsolutePath();
        kafka = new KafkaBroker(work.resolve("kafka"));
        kafka.start();
        kafka.createTopic(REQUESTS, 3);
        kafka.createTopic(EVENTS, 3);
        ncp = new NcpFake();
        // a killed replica's partitions move on after BRIDGE_KAFKA_SESSION_TIMEOUT
        jar = BridgeJar.against(ncp, "AKJARTEST").kafka(kafka).with("BRIDGE_INBOX_DIR", work.resolve("inbox").toString())
                .with("BRIDGE_KAFKA_SESSION_TIMEOUT", "6s");
    }

    @AfterAll
    static void stopBrokerAndFake() {
        if (ncp != null) {
            ncp.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static AppProcess startApp() throws Exception {
        return jar.start(work);
    }

    private static void produce(String requestId, String volume) throws Exception {
        kafka.produce(REQUESTS, null, (Requests.of(requestId, volume).json())
                .getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> eventTypesByKey(String prefix) {
        return kafka.readAll(EVENTS, Integer.MAX_VALUE, Duration.ofSeconds(2)).stream()
                .filter(r -> r.key() != null && r.key().startsWith(prefix))
                .collect(Collectors.toMap(ConsumerRecord::key, r -> r.value().contains("snapshot.created") ? "created"
                        : "other", (a, b) -> a.equals("created") ? a : b));
    }

    @Test
    void aKillBetweenConsumeAndPublishLosesNothing() throws Exception {
        String id = "jar-" + UUID.randomUUID();
        // the NCP fake holds its answer for the second request, so the kill lands while it is in flight
        ncp.script("880002", NcpFake.Reply.xml(200, NcpFake.exampleAnswer()).after(Duration.ofSeconds(20)));

        AppProcess first = startApp();
        try {
            produce(id + "-1", "880001");
            await().atMost(Duration.ofSeconds(60)).until(() -> eventTypesByKey(id).containsKey(id + "-1"));
            produce(id + "-2", "880002");
            await().atMost(Duration.ofSeconds(30)).until(() -> !ncp.callsFor("880002").isEmpty());
        } finally {
            first.kill();
        }
        assertFalse(eventTypesByKey(id).containsKey(id + "-2"), "killed before the event went out");

        produce(id + "-3", "880003");
        try (AppProcess second = startApp()) {
            await().atMost(Duration.ofSeconds(90)).until(() -> eventTypesByKey(id).keySet()
                    .containsAll(Set.of(id + "-1", id + "-2", id + "-3")));
            assertEquals(Map.of(id + "-1", "created", id + "-2", "created", id + "-3", "created"), eventTypesByKey(id));
            assertCommittedToTheEnd();
            assertEquals(1, ncp.callsFor("880002").size(), "found at NCP after the restart, not created again");
            assertFalse(second.output().contains(jar.secret()));
            assertTrue(second.output().contains("outcome=created"), "one log line per outcome");
            assertTrue(second.output().lines().anyMatch(l -> l.startsWith("{") && l.contains("\"outcome\":\"created\"")
                    && l.contains("\"requestId\":\"" + id + "-3\"")), "JSON log lines carry the outcome as fields");
        }
        assertFalse(first.output().contains(jar.secret()));
    }

    @Test
    void oneWorkerGoesOnToTheNextRequestWhileAnEventWaitsForTheBroker() throws Exception {
        String run = "linger-" + UUID.randomUUID().toString().substring(0, 8);
        String requests = "requests." + run;
        String events = "events." + run;
        kafka.createTopic(requests, 1);
        // the broker stamps each event when it appends it: when it reached the broker, not when it was built
        kafka.createTopic(events, 1, Map.of("message.timestamp.type", "LogAppendTime"));
        List<String> volumes = List.of("881001", "881002", "881003", "881004");
        // two requests are there at start; two more come while the first events wait, so they are fetched only if
        // records whose events wait do not hold the consumer's share of workers
        for (String volume : volumes.subList(0, 2)) {
            kafka.produce(requests, null, Requests.of(run + "-" + volume, volume).json().getBytes(StandardCharsets.UTF_8));
        }
        // each event waits 3 s in the producer before it is sent: a worker that waited for it would call NCP for the
        // next request only after that
        BridgeJar lingering = BridgeJar.against(ncp, "AKLINGER").kafka(kafka)
                .with("BRIDGE_INBOX_DIR", work.resolve(run).resolve("inbox").toString())
                .with("BRIDGE_IDEMPOTENCY_DIR", work.resolve(run).resolve("idempotency").toString())
                .with("BRIDGE_KAFKA_REQUESTS_TOPIC", requests).with("BRIDGE_KAFKA_EVENTS_TOPIC", events)
                .with("BRIDGE_KAFKA_GROUP_ID", run).with("BRIDGE_WORKERS", "1").with("BRIDGE_KAFKA_LINGER_MS", "3000");
        try (AppProcess app = lingering.start(work.resolve(run))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> ncp.callsFor(volumes.get(1)).size() == 1);
            for (String volume : volumes.subList(2, 4)) {
                kafka.produce(requests, null,
                        Requests.of(run + "-" + volume, volume).json().getBytes(StandardCharsets.UTF_8));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> kafka.readAll(events, Integer.MAX_VALUE,
                    Duration.ofSeconds(1)).stream().filter(r -> r.value().contains("snapshot.created")).count() == 4);
            Instant firstEventAtBroker = kafka.readAll(events, Integer.MAX_VALUE, Duration.ofSeconds(1)).stream()
                    .map(r -> Instant.ofEpochMilli(r.timestamp())).min(Instant::compareTo).orElseThrow();
            List<Instant> creates = volumes.stream().map(v -> ncp.callsFor(v)).peek(c -> assertEquals(1, c.size()))
                    .map(c -> c.get(0).at()).toList();
            assertTrue(creates.stream().allMatch(at -> at.isBefore(firstEventAtBroker)),
                    "NCP was asked for all four snapshots " + creates + " before the first event reached the broker at "
                            + firstEventAtBroker);
        }
    }

    private static void assertCommittedToTheEnd() {
        try (Admin admin = kafka.admin()) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin
                        .listConsumerGroupOffsets("ncp-snapshot-bridge").partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = List.of(0, 1, 2).stream()
                        .collect(Collectors.toMap(p -> new TopicPartition(REQUESTS, p), p -> OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get();
                for (TopicPartition tp : latest.keySet()) {
                    long end = ends.get(tp).offset();
                    long done = committed.containsKey(tp) ? committed.get(tp).offset() : 0;
                    assertEquals(end, done, "lag on " + tp);
                }
            });
        }
    }
}
