package io.github.ncpsnapshotbridge.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.testsupport.KafkaBroker;

/** Two replicas' stores on one real (in-JVM) Kafka broker. */
class KafkaIdempotencyStoreTest {

    private static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = new KafkaBroker(Path.of("target", "test-runs", "kafka-store-" + UUID.randomUUID()).toAbsolutePath());
        kafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    private static KafkaIdempotencyStore store(String topic) {
        Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        return new KafkaIdempotencyStore(client, topic, Duration.ofDays(7), Clock.systemUTC());
    }

    @Test
    void replicasSeeEachOthersClaimsAndOutcomesAndANewReplicaLoadsThem() throws Exception {
        String topic = "requests-" + UUID.randomUUID();
        try (KafkaIdempotencyStore a = store(topic); KafkaIdempotencyStore b = store(topic)) {
            assertTrue(a.claim("r-1", "937508", "nightly").isEmpty());
            RequestRecord seenByB = b.claim("r-1", "937508", "nightly").orElseThrow();
            assertTrue(seenByB.state() == RequestRecord.State.IN_FLIGHT || seenByB.state() == RequestRecord.State.DONE);
            a.done("r-1", "created");
            assertTrue(a.claim("r-2", "937509", "snap-x").isEmpty());
        }
        // a replica that starts later (or after a crash) knows what the others did
        try (KafkaIdempotencyStore c = store(topic)) {
            assertEquals(RequestRecord.State.DONE, c.find("r-1").orElseThrow().state());
            assertEquals("created", c.find("r-1").orElseThrow().outcome());
            assertEquals(RequestRecord.State.IN_FLIGHT, c.find("r-2").orElseThrow().state());
            assertEquals("snap-x", c.find("r-2").orElseThrow().snapshotName());
            assertEquals(1, c.inFlight().size());
        }
    }

    @Test
    void whenTwoReplicasClaimTheSameIdAtOnceExactlyOneWins() throws Exception {
        String topic = "race-" + UUID.randomUUID();
        try (KafkaIdempotencyStore a = store(topic); KafkaIdempotencyStore b = store(topic)) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int i = 0; i < 20; i++) {
                    String id = "race-" + i;
                    Callable<Boolean> claimA = () -> a.claim(id, "1", "n").isEmpty();
                    Callable<Boolean> claimB = () -> b.claim(id, "1", "n").isEmpty();
                    List<Future<Boolean>> results = pool.invokeAll(List.of(claimA, claimB));
                    long winners = 0;
                    for (Future<Boolean> result : results) {
                        winners += result.get() ? 1 : 0;
                    }
                    assertEquals(1, winners, "exactly one replica may call NCP for " + id);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
