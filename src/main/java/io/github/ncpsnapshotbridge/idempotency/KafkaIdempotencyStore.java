package io.github.ncpsnapshotbridge.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
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


import io.github.ncpsnapshotbridge.support.Json;

/**
 * The store for several replicas: every record is a message on a compacted topic keyed by requestId, which each
 * replica reads from the start at boot and follows afterwards. Every replica applies the log with the same rule
 * ({@link RequestRecord#supersededBy}): the first claim of a key wins until its lease runs out, a claim carries its
 * owner, so a write that arrives late still belongs to the owner who made it, and {@code DONE} is final. A claim is
 * written, then read back: the caller owns the request only when the record in force afterwards is its own, so when
 * two replicas claim (or take over) one requestId at once exactly one of them calls NCP. The follower thread is
 * supervised: an error is logged, the store reports itself unhealthy (readiness DOWN) and following resumes.
 * <p>
 * Leadership (who polls tracked snapshots) comes from Kafka's group protocol: every replica joins the group
 * {@code <topic>.leader} on the store topic, and the one assigned its partition 0 leads. A replica that stops is
 * out of the group after its session timeout, and partition 0 goes to another.
 */
public class KafkaIdempotencyStore implements IdempotencyStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaIdempotencyStore.class);
    private static final Duration READ_BACK = Duration.ofSeconds(15);

    private final String topic;
    private final Duration retention;
    private final Clock clock;
    private final Map<String, RequestRecord> entries = new ConcurrentHashMap<>();
    private final Map<Integer, Long> positions = new HashMap<>();
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Thread follower;
    private volatile boolean running = true;
    private volatile boolean following = true;
    private final KafkaConsumer<String, String> leadership;
    private final Thread leadershipThread;
    private volatile boolean leader;

    public KafkaIdempotencyStore(Properties client, String topic, Duration retention, Clock clock) {
        this(client, topic, retention, Duration.ofSeconds(45), clock);
    }

    /** {@code leaderSession}: how long a stopped leader keeps its leadership before another replica takes over. */
    public KafkaIdempotencyStore(Properties client, String topic, Duration retention, Duration leaderSession,
            Clock clock) {
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

        Properties leaderProps = new Properties();
        leaderProps.putAll(client);
        leaderProps.put(ConsumerConfig.GROUP_ID_CONFIG, topic + ".leader");
        leaderProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        leaderProps.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(leaderSession.toMillis()));
        leaderProps.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                Long.toString(Math.max(500, leaderSession.toMillis() / 3)));
        leadership = new KafkaConsumer<>(leaderProps, new StringDeserializer(), new StringDeserializer());
        leadershipThread = new Thread(this::holdLeadership, "idempotency-leadership");
        leadershipThread.setDaemon(true);
        leadershipThread.start();
    }

    /** Stays in the leadership group; its partitions are paused, so polling only keeps the membership alive. */
    private void holdLeadership() {
        TopicPartition first = new TopicPartition(topic, 0);
        try {
            leadership.subscribe(List.of(topic), new org.apache.kafka.clients.consumer.ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (partitions.contains(first)) {
                        leader = false;
                        LOG.infof("No longer the leader of %s", topic);
                    }
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    leadership.pause(partitions);
                    if (partitions.contains(first)) {
                        leader = true;
                        LOG.infof("Leader of %s: this replica polls the tracked snapshots", topic);
                    }
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    leader = false;
                }
            });
            while (running) {
                try {
                    leadership.poll(Duration.ofMillis(500));
                } catch (WakeupException e) {
                    return;
                } catch (RuntimeException e) {
                    leader = false;
                    LOG.warnf("Leadership of %s: %s; retrying", topic, e.toString());
                    Thread.sleep(1000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            leader = false;
        }
    }

    @Override
    public Optional<RequestRecord> find(String requestId) {
        RequestRecord record = entries.get(requestId);
        return record == null || expired(record) ? Optional.empty() : Optional.of(record);
    }

    @Override
    public ClaimResult claim(String requestId, String owner, Instant leaseUntil, String payload) {
        Instant now = clock.instant();
        RequestRecord existing = find(requestId).orElse(null);
        ClaimResult.Kind kind = ClaimResult.decide(existing, owner, now, false);
        if (kind == ClaimResult.Kind.HELD || kind == ClaimResult.Kind.DONE) {
            return new ClaimResult(kind, existing, null);
        }
        String journaled = payload != null || existing == null ? payload : existing.payload();
        RequestRecord claim = new RequestRecord(requestId, RequestRecord.State.IN_FLIGHT, owner, leaseUntil, journaled,
                existing == null ? null : existing.outcome(), now);
        awaitReadBack(write(claim));
        RequestRecord winner = entries.get(requestId);
        if (winner != null && winner.inFlight() && owner.equals(winner.owner())) {
            return new ClaimResult(kind, winner, ClaimResult.uncertainSince(existing, now));
        }
        // another replica claimed it first (or finished it meanwhile)
        return new ClaimResult(winner != null && !winner.inFlight() ? ClaimResult.Kind.DONE : ClaimResult.Kind.HELD,
                winner, null);
    }

    @Override
    public boolean renew(String requestId, String owner, Instant leaseUntil) {
        return renew(requestId, owner, leaseUntil, false);
    }

    @Override
    public boolean renew(String requestId, String owner, Instant leaseUntil, boolean sending) {
        RequestRecord existing = entries.get(requestId);
        if (existing == null || !existing.inFlight() || !owner.equals(existing.owner())) {
            return false;
        }
        awaitReadBack(write(existing.renewed(leaseUntil, clock.instant(), sending)));
        RequestRecord now = entries.get(requestId);
        return now != null && now.inFlight() && owner.equals(now.owner());
    }

    @Override
    public void done(String requestId, String owner, String outcome, String tracking) {
        RequestRecord previous = entries.get(requestId);
        if (previous != null && !previous.inFlight()) {
            return;
        }
        awaitReadBack(write(new RequestRecord(requestId, RequestRecord.State.DONE, owner, null,
                previous == null ? null : previous.payload(), outcome, clock.instant(), tracking)));
    }

    @Override
    public Collection<RequestRecord> tracked() {
        return entries.values().stream().filter(r -> r.tracked() && !expired(r)).toList();
    }

    @Override
    public void untrack(String requestId, String outcome) {
        RequestRecord previous = entries.get(requestId);
        if (previous == null || !previous.tracked()) {
            return;
        }
        awaitReadBack(write(previous.untracked(clock.instant(), outcome)));
    }

    @Override
    public boolean tryToLead() {
        return leader && healthy();
    }

    @Override
    public Collection<RequestRecord> inFlight() {
        return entries.values().stream().filter(r -> r.inFlight() && !expired(r)).toList();
    }

    @Override
    public boolean healthy() {
        return following && follower.isAlive();
    }

    private RecordMetadata write(RequestRecord record) {
        try {
            return producer.send(new ProducerRecord<>(topic, record.requestId(), RequestRecordJson.toJson(record)))
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
        while (running) {
            try {
                var records = consumer.poll(Duration.ofMillis(200));
                records.forEach(this::apply);
                synchronized (positions) {
                    for (TopicPartition tp : consumer.assignment()) {
                        positions.put(tp.partition(), consumer.position(tp));
                    }
                    positions.notifyAll();
                }
                if (!following) {
                    LOG.infof("The idempotency store follows %s again", topic);
                    following = true;
                }
            } catch (WakeupException e) {
                // closing
                return;
            } catch (RuntimeException e) {
                if (following) {
                    LOG.errorf("The idempotency store cannot follow %s (%s); retrying", topic, e.toString());
                }
                following = false;
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    void apply(ConsumerRecord<String, String> message) {
        if (message.value() == null) {
            entries.remove(message.key());
            return;
        }
        RequestRecord record;
        try {
            record = RequestRecordJson.read(message.key(), Json.MAPPER.readTree(message.value()));
        } catch (Exception e) {
            LOG.warnf("Skipped an unreadable record at %s-%d@%d", message.topic(), message.partition(), message.offset());
            return;
        }
        RequestRecord kept = entries.compute(message.key(),
                (key, current) -> current == null || current.supersededBy(record, retention) ? record : current);
        if (kept != record && !kept.inFlight() && record.inFlight()) {
            // a claim written late, after the outcome: compaction would keep it as the last word, so the outcome is
            // written once more after it
            producer.send(new ProducerRecord<>(topic, kept.requestId(), RequestRecordJson.toJson(kept)));
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
        leadership.wakeup();
        follower.join(5000);
        leadershipThread.join(5000);
        consumer.close();
        leadership.close(Duration.ofSeconds(5));
        producer.close();
    }
}
