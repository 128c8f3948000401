package io.github.ncpsnapshotbridge.intake;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.testsupport.KafkaBroker;

/** The consumer's commits, against a real in-JVM broker. */
class KafkaRequestConsumerTest {

    private static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = new KafkaBroker(Path.of("target", "test-runs", "kafka-consumer-" + UUID.randomUUID()).toAbsolutePath());
        kafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void noOffsetIsCommittedUntilTheOutcomesOfItsRecordsAreSynced() throws Exception {
        String topic = "sync-" + UUID.randomUUID();
        kafka.createTopic(topic, 1);
        for (int i = 0; i < 20; i++) {
            kafka.produce(topic, "r-" + i, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, topic);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        AtomicInteger finished = new AtomicInteger();
        AtomicBoolean diskFails = new AtomicBoolean(true);
        AtomicInteger syncs = new AtomicInteger();
        KafkaRequestConsumer consumer = new KafkaRequestConsumer("test-intake", props, topic, 4, Duration.ofMillis(100),
                (record, released) -> {
                    released.run();
                    finished.incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                },
                () -> {
                    syncs.incrementAndGet();
                    if (diskFails.get()) {
                        throw new UncheckedIOException(new IOException("the journal cannot be forced (test)"));
                    }
                });
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.start();
        try (Admin admin = kafka.admin()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> finished.get() == 20 && syncs.get() >= 2);
            assertEquals(Map.of(), committed(admin, topic), "nothing committed while the journal cannot be synced");

            diskFails.set(false);
            await().atMost(Duration.ofSeconds(30)).until(() -> committed(admin, topic).containsKey(partition)
                    && committed(admin, topic).get(partition).offset() == 20);
        } finally {
            consumer.stop(Duration.ofSeconds(5));
        }
        assertEquals(20, finished.get(), "each record worked on once");
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    }
}
