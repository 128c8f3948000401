package io.github.ncpsnapshotbridge.idempotency;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.testsupport.KafkaBroker;
import io.github.ncpsnapshotbridge.testsupport.TestClock;

/** Two replicas' stores on one real (in-JVM) Kafka broker. */
class KafkaIdempotencyStoreTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static KafkaBroker kafka;
    private final TestClock clock = new TestClock(Instant.now());

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = new KafkaBroker(Path.of("target", "test-runs", "kafka-store-" + UUID.randomUUID()).toAbsolutePath());
        kafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    private static Properties client() {
        Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        return client;
    }

    private KafkaIdempotencyStore store(String topic) {
        return new KafkaIdempotencyStore(client(), topic, Duration.ofDays(7), clock);
    }

    private Instant lease() {
        return clock.instant().plus(LEASE);
    }

    @Test
    void aLiveClaimOfAnotherOwnerIsLeftAloneAndDoneIsFinal() throws Exception {
        String topic = "store-" + UUID.randomUUID();
        try (KafkaIdempotencyStore a = store(topic); KafkaIdempotencyStore b = store(topic)) {
            assertEquals(ClaimResult.Kind.NEW, a.claim("r1", "replica-a", lease(), "{\"volume\":\"1\"}").kind());
            ClaimResult atB = b.claim("r1", "replica-b", lease(), "{\"volume\":\"1\"}");
            assertEquals(ClaimResult.Kind.HELD, atB.kind(), "b neither calls NCP nor answers while a works");
            assertEquals("replica-a", atB.record().owner());
            assertFalse(b.renew("r1", "replica-b", lease()));
            assertTrue(a.renew("r1", "replica-a", lease()));

            a.done("r1", "replica-a", "created");
            // b learns of it as it follows the topic; until then it keeps answering HELD (come back later)
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> b.claim("r1", "replica-b", lease(), null).kind() == ClaimResult.Kind.DONE);
            clock.advance(LEASE.multipliedBy(3));
            assertEquals(ClaimResult.Kind.DONE, b.claim("r1", "replica-b", lease(), null).kind(), "done stays done");
        }
        try (KafkaIdempotencyStore restarted = store(topic)) {
            assertEquals(RequestRecord.State.DONE, restarted.find("r1").orElseThrow().state(), "read back from the topic");
        }
    }

    @Test
    void twoReplicasRacingForAnExpiredClaimLeaveExactlyOneOwner() throws Exception {
        String topic = "store-" + UUID.randomUUID();
        try (KafkaIdempotencyStore gone = store(topic); KafkaIdempotencyStore a = store(topic);
                KafkaIdempotencyStore b = store(topic)) {
            for (int i = 0; i < 20; i++) {
                gone.claim("orphan-" + i, "replica-gone", lease(), "{\"n\":" + i + "}");
            }
            clock.advance(LEASE.plusSeconds(1));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int i = 0; i < 20; i++) {
                    String id = "orphan-" + i;
                    Callable<ClaimResult> byA = () -> a.claim(id, "replica-a", lease(), null);
                    Callable<ClaimResult> byB = () -> b.claim(id, "replica-b", lease(), null);
                    List<Future<ClaimResult>> both = pool.invokeAll(List.of(byA, byB));
                    ClaimResult ra = both.get(0).get();
                    ClaimResult rb = both.get(1).get();
                    assertEquals(1, (ra.owned() ? 1 : 0) + (rb.owned() ? 1 : 0), id + ": " + ra.kind() + " / " + rb.kind());
                    ClaimResult winner = ra.owned() ? ra : rb;
                    assertEquals(ClaimResult.Kind.TAKEN_OVER, winner.kind());
                    assertEquals("{\"n\":" + i + "}", winner.record().payload(), "the journaled request goes with it");
                    assertEquals(ClaimResult.Kind.HELD, (ra.owned() ? rb : ra).kind());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aClaimWrittenLateStillBelongsToItsOwnerAndNeverReplacesDone() throws Exception {
        String topic = "store-" + UUID.randomUUID();
        try (KafkaIdempotencyStore a = store(topic); KafkaProducer<String, String> late = new KafkaProducer<>(client(),
                new StringSerializer(), new StringSerializer())) {
            // replica-a's claim reaches the topic only after its attempt gave up waiting for it
            RequestRecord claim = new RequestRecord("r1", RequestRecord.State.IN_FLIGHT, "replica-a", lease(), "{}", null,
                    clock.instant());
            late.send(new ProducerRecord<>(topic, "r1", RequestRecordJson.toJson(claim))).get();
            ClaimResult again = a.claim("r1", "replica-a", lease(), "{}");
            assertTrue(again.owned(), "the redelivery owns its own late claim instead of answering duplicate");

            a.done("r1", "replica-a", "created");
            late.send(new ProducerRecord<>(topic, "r1", RequestRecordJson.toJson(claim))).get();
            Thread.sleep(1000);
            assertEquals(RequestRecord.State.DONE, a.find("r1").orElseThrow().state());
        }
        try (KafkaIdempotencyStore fresh = store(topic)) {
            assertEquals(RequestRecord.State.DONE, fresh.find("r1").orElseThrow().state(),
                    "the outcome is the last word in the log, even after compaction");
        }
    }
}
