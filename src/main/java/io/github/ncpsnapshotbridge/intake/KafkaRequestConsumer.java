package io.github.ncpsnapshotbridge.intake;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

// Not camel-kafka's consumer: it cannot work on a partition's records concurrently and commit only contiguous offsets.
/**
 * One Kafka consumer of the requests topic that never stops polling. Camel's Kafka consumer hands a record to the
 * route on its polling thread and waits, so a request waiting out an NCP outage would stop the polls and get the
 * consumer evicted from its group; this one hands records to workers and goes on polling:
 * <ul>
 * <li>Records of a poll are worked on at once, up to {@code workers} on workers; past that, or with
 * {@value #AWAITING_PER_WORKER} times as many records unfinished (most of them with their events on the way to the
 * broker), its partitions are paused (polls go on, and fetch nothing) until work finishes. A worker is free for the
 * next record as soon as it has handed its record's events over.</li>
 * <li>Records with the same key (the requestId, as producers are asked to key them) are worked on one after the
 * other, in offset order.</li>
 * <li>An offset is committed only when every record before it in its partition is finished (its events published):
 * a commit never skips an unfinished record. Finished records are committed together, at most every
 * {@code COMMIT_INTERVAL}, each commit after one {@code beforeCommit} (which makes their recorded outcomes durable).</li>
 * <li>A record whose work failed is worked on again after a pause, while the bridge runs.</li>
 * </ul>
 */
public final class KafkaRequestConsumer {

    private static final Logger LOG = Logger.getLogger(KafkaRequestConsumer.class);
    private static final Duration PAUSED_POLL = Duration.ofMillis(5);
    /** Offsets are committed at most this often (and when partitions are revoked, and on stop). */
    static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

    /** Records not finished, per worker, at most: the rest wait for their events' acknowledgement. */
    static final int AWAITING_PER_WORKER = 4;

    /**
     * Works on one record; the future completes once its events are published. {@code released} is run when the
     * worker is free again (the events handed over), before or when the future completes.
     */
    @FunctionalInterface
    public interface RecordHandler {
        CompletableFuture<Void> handle(ConsumerRecord<String, byte[]> record, Runnable released);
    }

    private static final class PartitionState {
        /** offset → finished; the first key is the oldest unfinished (or not yet committed) record */
        final TreeMap<Long, Boolean> offsets = new TreeMap<>();
        final Map<String, CompletableFuture<Void>> lastByKey = new HashMap<>();
        long toCommit = -1;
        long committed = -1;
    }

    private final Properties properties;
    private final String topic;
    private final int workers;
    private final Duration retryDelay;
    private final RecordHandler handler;
    private final Runnable beforeCommit;
    private final String name;
    private final Map<TopicPartition, PartitionState> partitions = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Runnable> finished = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Records handed to a worker and not released by it yet (or waiting for an earlier record of their key). */
    private final AtomicInteger onWorkers = new AtomicInteger();
    private volatile boolean running;
    private volatile Duration drainGrace = Duration.ofSeconds(30);
    private Thread thread;
    private KafkaConsumer<String, byte[]> consumer;

    public KafkaRequestConsumer(String name, Properties properties, String topic, int workers, Duration retryDelay,
            RecordHandler handler, Runnable beforeCommit) {
        this.name = name;
        this.properties = properties;
        this.topic = topic;
        this.workers = Math.max(1, workers);
        this.retryDelay = retryDelay;
        this.handler = handler;
        this.beforeCommit = beforeCommit;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops taking records, lets the ones under way finish (up to {@code grace}), commits what finished, leaves. */
    public void stop(Duration grace) throws InterruptedException {
        Thread t;
        synchronized (this) {
            if (!running) {
                return;
            }
            drainGrace = grace;
            running = false;
            t = thread;
        }
        // the grace, then time to commit and leave the group
        t.join(grace.toMillis() + 10_000);
    }

    private void run() {
        long lastCommit = 0;
        consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (running) {
                try {
                    // paused, a poll fetches nothing and would sit out its whole timeout: a short one notices soon
                    // that work finished and the partitions can be resumed
                    Duration timeout = consumer.paused().isEmpty() ? Duration.ofMillis(100) : PAUSED_POLL;
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
                        dispatch(record);
                    }
                    applyFinished();
                    if (System.nanoTime() - lastCommit >= COMMIT_INTERVAL.toNanos()) {
                        commitFinished();
                        lastCommit = System.nanoTime();
                    }
                    pauseOrResume();
                } catch (WakeupException e) {
                    // stopping
                } catch (RuntimeException e) {
                    LOG.errorf("Kafka intake %s: %s; polling again shortly", name, e.toString());
                    sleep(1000);
                }
            }
            // stopping: no new records; the ones under way finish, then what finished is committed
            consumer.pause(consumer.assignment());
            long deadline = System.nanoTime() + drainGrace.toNanos();
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100));
                applyFinished();
            }
            applyFinished();
            commitFinished();
        } catch (RuntimeException e) {
            LOG.errorf("Kafka intake %s stopped: %s", name, e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void dispatch(ConsumerRecord<String, byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        PartitionState state = partitions.computeIfAbsent(tp, p -> new PartitionState());
        state.offsets.put(record.offset(), false);
        inFlight.incrementAndGet();
        onWorkers.incrementAndGet();
        AtomicBoolean onWorker = new AtomicBoolean(true);
        Runnable released = () -> {
            if (onWorker.compareAndSet(true, false)) {
                onWorkers.decrementAndGet();
            }
        };
        String key = record.key();
        CompletableFuture<Void> before = key == null ? null : state.lastByKey.get(key);
        CompletableFuture<Void> work = before == null ? attempt(record, released)
                : before.handle((ok, error) -> null).thenCompose(ignored -> attempt(record, released));
        if (key != null) {
            state.lastByKey.put(key, work);
        }
        work.whenComplete((ok, error) -> finished.add(() -> {
            released.run();
            inFlight.decrementAndGet();
            PartitionState current = partitions.get(tp);
            if (current != state) {
                // the partition went to another consumer meanwhile: it reads the record again
                return;
            }
            if (key != null) {
                state.lastByKey.remove(key, work);
            }
            if (error == null) {
                state.offsets.put(record.offset(), true);
            }
        }));
    }

    /** Works on a record; a failure is tried again after a pause while the consumer runs. */
    private CompletableFuture<Void> attempt(ConsumerRecord<String, byte[]> record, Runnable released) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        attempt(record, released, result);
        return result;
    }

    private void attempt(ConsumerRecord<String, byte[]> record, Runnable released, CompletableFuture<Void> result) {
        CompletableFuture<Void> work;
        try {
            work = handler.handle(record, released);
        } catch (RuntimeException e) {
            work = CompletableFuture.failedFuture(e);
        }
        work.whenComplete((ok, error) -> {
            if (error == null) {
                result.complete(null);
            } else if (running) {
                LOG.warnf("Kafka intake: record %s-%d@%d failed (%s); trying it again in %d ms", record.topic(),
                        record.partition(), record.offset(), rootMessage(error), retryDelay.toMillis());
                Executor later = CompletableFuture.delayedExecutor(retryDelay.toMillis(), TimeUnit.MILLISECONDS);
                later.execute(() -> attempt(record, released, result));
            } else {
                result.completeExceptionally(error);
            }
        });
    }

    private void applyFinished() {
        Runnable r;
        while ((r = finished.poll()) != null) {
            r.run();
        }
    }

    private void commitFinished() {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        for (Map.Entry<TopicPartition, PartitionState> e : partitions.entrySet()) {
            PartitionState state = e.getValue();
            while (!state.offsets.isEmpty() && state.offsets.firstEntry().getValue()) {
                state.toCommit = state.offsets.pollFirstEntry().getKey() + 1;
            }
            if (state.toCommit > state.committed) {
                commits.put(e.getKey(), new OffsetAndMetadata(state.toCommit));
            }
        }
        if (!commits.isEmpty()) {
            // what the finished records recorded (their outcomes) is on disk before their offsets are committed
            beforeCommit.run();
            consumer.commitSync(commits);
            commits.forEach((tp, offset) -> {
                PartitionState state = partitions.get(tp);
                if (state != null) {
                    state.committed = Math.max(state.committed, offset.offset());
                }
            });
        }
    }

    private void pauseOrResume() {
        Collection<TopicPartition> assigned = consumer.assignment();
        if (onWorkers.get() >= workers || inFlight.get() >= AWAITING_PER_WORKER * workers) {
            consumer.pause(assigned);
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            // give the records under way a moment to finish, so that the next owner does not read them again
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && revoked.stream().anyMatch(this::unfinished)) {
                applyFinished();
                sleep(50);
            }
            applyFinished();
            try {
                commitFinished();
            } catch (RuntimeException e) {
                LOG.warnf("Kafka intake: cannot commit before a rebalance (%s); the next owner reads those records again",
                        e.toString());
            }
            revoked.forEach(partitions::remove);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            lost.forEach(partitions::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            LOG.debugf("Kafka intake %s: assigned %s", name, assigned);
        }

        private boolean unfinished(TopicPartition tp) {
            PartitionState state = partitions.get(tp);
            return state != null && state.offsets.containsValue(false);
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
