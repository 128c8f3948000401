package io.github.ncpsnapshotbridge.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.ncpsnapshotbridge.pipeline.Json;

/**
 * The store for several replicas: every record is a message on a compacted topic keyed by requestId, which each
 * replica reads from the start at boot and follows afterwards. A claim is written, then read back: the first
 * in-flight record of a key in the log wins, so when two replicas claim the same requestId at once exactly one of them
 * calls NCP.
 */
public class KafkaIdempotencyStore implements IdempotencyStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaIdempotencyStore.class);
    private static final Duration READ_BACK = Duration.ofSeconds(15);

    private record Entry(RequestRecord record, String nonce) {
    }

    private final String topic;
    private final Duration retention;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<Integer, Long> positions = new HashMap<>();
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Thread follower;
    private volatile boolean running = true;

    public KafkaIdempotencyStore(Properties client, String topic, Duration retention, Clock clock) {
        this.topic = topic;
        this.retention = retention;
        this.clock = clock;
        ensureTopic(client, topic, retention);

        Properties producerProps = new Properties();
        producerProps.putAll(client);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer());

        Properties consumerProps = new Properties();
        consumerProps.putAll(client);
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        // the whole history first: no request may be judged before every earlier record is known
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
            consumer.poll(Duration.ofMillis(200)).forEach(this::apply);
        }
        synchronized (positions) {
            partitions.forEach(tp -> positions.put(tp.partition(), consumer.position(tp)));
        }
        LOG.infof("Idempotency store on topic %s: %d requestIds known", topic, entries.size());
        follower = new Thread(this::follow, "idempotency-follower");
        follower.setDaemon(true);
        follower.start();
    }

    @Override
    public Optional<RequestRecord> find(String requestId) {
        Entry entry = entries.get(requestId);
        return entry == null || expired(entry.record()) ? Optional.empty() : Optional.of(entry.record());
    }

    @Override
    public Optional<RequestRecord> claim(String requestId, String volume, String snapshotName, String account) {
        Optional<RequestRecord> existing = find(requestId);
        if (existing.isPresent()) {
            return existing;
        }
        String nonce = UUID.randomUUID().toString();
        RecordMetadata written = write(new RequestRecord(requestId, RequestRecord.State.IN_FLIGHT, volume, snapshotName,
                account, null, clock.instant()), nonce);
        awaitReadBack(written);
        Entry winner = entries.get(requestId);
        if (winner != null && nonce.equals(winner.nonce())) {
            return Optional.empty();
        }
        // another replica claimed it first and is working on it now
        return Optional.of(new RequestRecord(requestId, RequestRecord.State.DONE, volume, snapshotName, account,
                "in progress elsewhere", clock.instant()));
    }

    @Override
    public void done(String requestId, String outcome) {
        Entry previous = entries.get(requestId);
        RequestRecord record = new RequestRecord(requestId, RequestRecord.State.DONE,
                previous == null ? null : previous.record().volume(), previous == null ? null : previous.record().snapshotName(),
                previous == null ? null : previous.record().account(), outcome, clock.instant());
        awaitReadBack(write(record, UUID.randomUUID().toString()));
    }

    @Override
    public Collection<RequestRecord> inFlight() {
        return entries.values().stream().map(Entry::record)
                .filter(r -> r.state() == RequestRecord.State.IN_FLIGHT && !expired(r)).toList();
    }

    private RecordMetadata write(RequestRecord record, String nonce) {
        ObjectNode node = RequestRecordJson.write(record).put("nonce", nonce);
        try {
            return producer.send(new ProducerRecord<>(topic, record.requestId(), node.toString()))
                    .get(READ_BACK.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the idempotency record", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write the idempotency record to " + topic, e);
        }
    }

    private void awaitReadBack(RecordMetadata written) {
        long deadline = System.nanoTime() + READ_BACK.toNanos();
        synchronized (positions) {
            while (positions.getOrDefault(written.partition(), 0L) <= written.offset()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new IllegalStateException("the idempotency topic " + topic + " did not echo a record in time");
                }
                try {
                    positions.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while reading the idempotency topic", e);
                }
            }
        }
    }

    private void follow() {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(200));
                records.forEach(this::apply);
                synchronized (positions) {
                    for (TopicPartition tp : consumer.assignment()) {
                        positions.put(tp.partition(), consumer.position(tp));
                    }
                    positions.notifyAll();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("The idempotency store stopped following " + topic, e);
        }
    }

    private void apply(ConsumerRecord<String, String> message) {
        if (message.value() == null) {
            entries.remove(message.key());
            return;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(message.value());
            RequestRecord record = RequestRecordJson.read(message.key(), node);
            Entry current = entries.get(message.key());
            boolean claimHeld = current != null && current.record().state() == RequestRecord.State.IN_FLIGHT
                    && !expired(current.record());
            // a later claim never displaces the first one; only the outcome does
            if (record.state() == RequestRecord.State.IN_FLIGHT && claimHeld) {
                return;
            }
            entries.put(message.key(), new Entry(record, RequestRecordJson.text(node, "nonce")));
        } catch (Exception e) {
            LOG.warnf("Skipped an unreadable record at %s-%d@%d", message.topic(), message.partition(), message.offset());
        }
    }

    private boolean expired(RequestRecord record) {
        return record.at().plus(retention).isBefore(clock.instant());
    }

    private static void ensureTopic(Properties client, String topic, Duration retention) {
        try (Admin admin = Admin.create(client)) {
            int brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
            NewTopic newTopic = new NewTopic(topic, 3, (short) Math.min(3, brokers)).configs(Map.of(
                    "cleanup.policy", "compact,delete",
                    "retention.ms", Long.toString(retention.toMillis()),
                    "min.insync.replicas", brokers >= 3 ? "2" : "1"));
            admin.createTopics(List.of(newTopic)).all().get(30, TimeUnit.SECONDS);
            LOG.infof("Created the idempotency topic %s", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the idempotency topic " + topic, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer while preparing the idempotency topic " + topic, e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        follower.join(5000);
        consumer.close();
        producer.close();
    }
}
