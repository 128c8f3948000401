package io.github.ncpsnapshotbridge.idempotency;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.ReentrantLock;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.support.Json;

/**
 * The store of one writer: a journal of JSON lines on disk, replayed when it is opened. One process writes it at a
 * time: it holds an exclusive lock on {@code requests.lock} beside the journal, taken when the store is first needed
 * (so a standby replica on a shared folder opens it only once it works); a second process waits for the lock and says
 * so. Because the lock dies with its process, a claim of another owner found in the journal is an orphan and may be
 * taken over at once. A record counts only once it is forced to disk: a write completes (or returns) only after a
 * force that covers it. Records of requests under way together share one write and one force (group commit): a record
 * is appended to a buffer and other requests see it at once; a thread of the store's own writes whatever the buffer
 * holds and forces it whenever a writer waits, at most once per {@link #GROUP_COMMIT_WINDOW_NANOS}, and lets every
 * writer it covered go on. {@link #claimAsync} and {@link #doneAsync} hand that wait back as a future, so the caller's
 * thread is not held while the disk works. {@link #doneUnsynced} appends without waiting: an intake that acknowledges
 * its inputs in batches calls {@link #sync} once before each acknowledgement; {@link #close} forces what is left. A
 * line torn by a crash is dropped when the journal is rewritten at open, so it never runs into the next record. A
 * journal that cannot be written or forced is not written again by this process (what reached the disk is unknown):
 * every later call fails, and the store reports itself unhealthy until the process restarts and replays it.
 */
public class FileIdempotencyStore implements IdempotencyStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FileIdempotencyStore.class);
    static final String JOURNAL = "requests.jsonl";
    static final String LOCK = "requests.lock";
    /** How often a process waiting for the journal says so. */
    private static final Duration LOCK_WAIT_LOG = Duration.ofSeconds(30);
    /**
     * Forces start at most this often: the records appended meanwhile share the next one. Without it, appends no longer
     * held up by a force under way would each get a force of their own.
     */
    static final long GROUP_COMMIT_WINDOW_NANOS = 1_000_000;

    private final Path dir;
    private final Path journal;
    private final Duration retention;
    private final Clock clock;
    private final Map<String, RequestRecord> records = new LinkedHashMap<>();
    /** Whether store-wide work (a timer's look) may take the journal's lock; a request's claim always may. */
    private volatile BooleanSupplier mayTakeUnasked = () -> true;
    private FileChannel lockChannel;
    private FileLock lock;
    private FileChannel channel;
    private long linesWritten;
    /** Serialises records to JSON lines; used under this store's monitor only. */
    private final ByteArrayOutputStream lineBuffer = new ByteArrayOutputStream(512);
    /**
     * Guards the appended records not written yet ({@link #pending}), the count of lines appended and of lines on disk,
     * the callers waiting for their lines, and whether a force is under way; taken after {@code this}, never before.
     */
    private final ReentrantLock journalLock = new ReentrantLock();
    /** Signalled when a caller starts waiting for its lines, and when the store closes. */
    private final Condition waiting = journalLock.newCondition();
    /** Signalled when a force ends. */
    private final Condition forced = journalLock.newCondition();
    private ByteArrayOutputStream pending = new ByteArrayOutputStream(8192);
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private long appended;
    private long durable;
    private boolean forcing;
    private long lastForceStarted = System.nanoTime() - GROUP_COMMIT_WINDOW_NANOS;
    private long forces;
    private Thread flusher;
    /** Set once the journal could not be written or forced: nothing more is written. */
    private volatile IOException broken;
    private boolean closed;

    /** A caller waiting until line {@code line} is on disk. */
    private record Waiter(long line, CompletableFuture<Void> done) {
    }

    public FileIdempotencyStore(Path dir, Duration retention, Clock clock) {
        this.dir = dir;
        this.journal = dir.resolve(JOURNAL);
        this.retention = retention;
        this.clock = clock;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the idempotency journal folder " + dir, e);
        }
    }

    /** Whether this process holds the journal (it does from its first claim on). */
    public synchronized boolean isOpen() {
        return channel != null;
    }

    @Override
    public synchronized Optional<RequestRecord> find(String requestId) {
        if (!open(false)) {
            return Optional.empty();
        }
        RequestRecord record = records.get(requestId);
        return record == null || expired(record) ? Optional.empty() : Optional.of(record);
    }

    @Override
    public ClaimResult claim(String requestId, String owner, Instant leaseUntil, String payload) {
        return await(claimAsync(requestId, owner, leaseUntil, payload));
    }

    @Override
    public CompletableFuture<ClaimResult> claimAsync(String requestId, String owner, Instant leaseUntil,
            String payload) {
        ClaimResult result;
        long line;
        try {
            synchronized (this) {
                result = decideClaim(requestId, owner, leaseUntil, payload);
                // not owned (done, or held by another): answered only once the record that says so is on disk, so
                // a duplicate is never answered from an outcome a full disk then loses
                line = appendedSoFar();
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return durable(line).thenApply(ignored -> result);
    }

    private ClaimResult decideClaim(String requestId, String owner, Instant leaseUntil, String payload) {
        open(true);
        Instant now = clock.instant();
        RequestRecord existing = records.get(requestId);
        if (existing != null && expired(existing)) {
            existing = null;
        }
        ClaimResult.Kind kind = ClaimResult.decide(existing, owner, now, true);
        if (kind == ClaimResult.Kind.HELD || kind == ClaimResult.Kind.DONE) {
            return new ClaimResult(kind, existing, null);
        }
        String journaled = payload != null ? payload : existing.payload();
        RequestRecord claimed = new RequestRecord(requestId, RequestRecord.State.IN_FLIGHT, owner, leaseUntil, journaled,
                existing == null ? null : existing.outcome(), now);
        write(claimed);
        return new ClaimResult(kind, claimed, ClaimResult.uncertainSince(existing, now));
    }

    @Override
    public boolean renew(String requestId, String owner, Instant leaseUntil) {
        return renew(requestId, owner, leaseUntil, false);
    }

    @Override
    public boolean renew(String requestId, String owner, Instant leaseUntil, boolean sending) {
        long line;
        synchronized (this) {
            open(true);
            RequestRecord existing = records.get(requestId);
            if (existing == null || !existing.inFlight() || !owner.equals(existing.owner())) {
                return false;
            }
            line = write(existing.renewed(leaseUntil, clock.instant(), sending));
        }
        await(durable(line));
        return true;
    }

    @Override
    public void done(String requestId, String owner, String outcome, String tracking) {
        await(doneAsync(requestId, owner, outcome, tracking));
    }

    @Override
    public CompletableFuture<Void> doneAsync(String requestId, String owner, String outcome, String tracking) {
        try {
            return durable(writeDone(requestId, owner, outcome, tracking));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void doneUnsynced(String requestId, String owner, String outcome, String tracking) {
        writeDone(requestId, owner, outcome, tracking);
    }

    /** Appends a DONE record (other requests see it at once) and returns its line; 0 when it was done already. */
    private synchronized long writeDone(String requestId, String owner, String outcome, String tracking) {
        open(true);
        RequestRecord previous = records.get(requestId);
        if (previous != null && previous.state() == RequestRecord.State.DONE) {
            return 0;
        }
        return write(new RequestRecord(requestId, RequestRecord.State.DONE, owner, null,
                previous == null ? null : previous.payload(), outcome, clock.instant(), tracking));
    }

    /** One force for every record appended so far that is not on disk yet (none when they all are). */
    @Override
    public void sync() {
        await(durable(appendedSoFar()));
    }

    private long appendedSoFar() {
        journalLock.lock();
        try {
            return appended;
        } finally {
            journalLock.unlock();
        }
    }

    @Override
    public synchronized Collection<RequestRecord> tracked() {
        if (!open(false)) {
            return List.of();
        }
        return records.values().stream().filter(r -> r.tracked() && !expired(r)).toList();
    }

    @Override
    public void untrack(String requestId, String outcome) {
        long line;
        synchronized (this) {
            open(true);
            RequestRecord previous = records.get(requestId);
            if (previous == null || !previous.tracked()) {
                return;
            }
            line = write(previous.untracked(clock.instant(), outcome));
        }
        await(durable(line));
    }

    /**
     * Store-wide work takes the journal's lock only while {@code condition} holds (a request's claim always may).
     * Replicas sharing a drop folder and this journal must take the folder's leadership and the journal in one order,
     * folder first: a standby whose timers took the journal while a restarted replica took the folder left each
     * waiting for the other for ever.
     */
    @Override
    public void leadOnlyWhile(BooleanSupplier condition) {
        this.mayTakeUnasked = condition;
    }

    /** The process holding the journal's lock leads; one that does not tries to take it, without waiting. */
    @Override
    public synchronized boolean tryToLead() {
        return !closed && open(false);
    }

    @Override
    public boolean healthy() {
        return broken == null;
    }

    @Override
    public boolean failed() {
        return broken != null;
    }

    /** Disk forces so far: fewer than records written when requests are under way together. */
    public long forces() {
        journalLock.lock();
        try {
            return forces;
        } finally {
            journalLock.unlock();
        }
    }

    @Override
    public synchronized Collection<RequestRecord> inFlight() {
        if (!open(false)) {
            return List.of();
        }
        return records.values().stream().filter(r -> r.inFlight() && !expired(r)).toList();
    }

    private boolean expired(RequestRecord record) {
        return record.at().plus(retention).isBefore(clock.instant());
    }

    /**
     * Appends a record (under this store's monitor) and returns its line number; the caller then waits for
     * {@link #durable} outside the monitor, so that other requests can append meanwhile and share the force.
     * Other requests see the record at once; only its writer must wait for the disk before it acts on it.
     */
    private long write(RequestRecord record) {
        failIfBroken();
        byte[] line;
        try {
            line = line(record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the idempotency journal " + journal, e);
        }
        long number;
        journalLock.lock();
        try {
            pending.writeBytes(line);
            number = ++appended;
        } finally {
            journalLock.unlock();
        }
        records.remove(record.requestId());
        records.put(record.requestId(), record);
        if (++linesWritten > 2L * records.size() + 1000) {
            try {
                rewriteUninterrupted();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot rewrite the idempotency journal " + journal, e);
            }
        }
        return number;
    }

    /** Completes once line {@code line} is on disk (at once when it is already); the flusher forces it. */
    private CompletableFuture<Void> durable(long line) {
        journalLock.lock();
        try {
            if (durable >= line) {
                return CompletableFuture.completedFuture(null);
            }
            IOException failure = broken;
            if (failure != null) {
                return CompletableFuture.failedFuture(unwritable(failure));
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            waiters.addLast(new Waiter(line, done));
            waiting.signal();
            return done;
        } finally {
            journalLock.unlock();
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * The flusher: whenever callers wait for their lines, writes every line appended so far in one write, forces it, and
     * lets the callers it covers go on; at most one force starts per {@link #GROUP_COMMIT_WINDOW_NANOS}.
     */
    private void flush() {
        journalLock.lock();
        try {
            while (true) {
                if (waiters.isEmpty() || broken != null) {
                    if (closed) {
                        return;
                    }
                    waiting.awaitUninterruptibly();
                    continue;
                }
                long wait = lastForceStarted + GROUP_COMMIT_WINDOW_NANOS - System.nanoTime();
                if (wait > 0 && !closed) {
                    try {
                        waiting.awaitNanos(wait);
                    } catch (InterruptedException e) {
                        // nobody stops this thread but close(); an interrupt must not close the journal's channel
                    }
                    continue;
                }
                forcing = true;
                lastForceStarted = System.nanoTime();
                long upTo = appended;
                ByteArrayOutputStream batch = pending;
                pending = new ByteArrayOutputStream(Math.max(8192, batch.size()));
                FileChannel target = channel;
                journalLock.unlock();
                IOException failure = null;
                try {
                    Thread.interrupted();
                    writeFully(target, batch.toByteArray());
                    force(target);
                } catch (IOException e) {
                    failure = e;
                } finally {
                    journalLock.lock();
                }
                forcing = false;
                List<Waiter> covered = new ArrayList<>();
                if (failure == null) {
                    durable = Math.max(durable, upTo);
                    forces++;
                    takeCovered(covered);
                } else {
                    broken = failure;
                    covered.addAll(waiters);
                    waiters.clear();
                    LOG.errorf("Cannot write or force the idempotency journal %s (%s); the bridge stops using it until "
                            + "it restarts", journal, failure.toString());
                }
                forced.signalAll();
                journalLock.unlock();
                try {
                    for (Waiter w : covered) {
                        if (failure == null) {
                            w.done().complete(null);
                        } else {
                            w.done().completeExceptionally(unwritable(failure));
                        }
                    }
                } finally {
                    journalLock.lock();
                }
            }
        } finally {
            journalLock.unlock();
        }
    }

    /** Forces the journal's written lines to disk (a test may make it fail). */
    void force(FileChannel target) throws IOException {
        target.force(false);
    }

    /** Lets every waiting caller whose line the journal now holds go on (after a rewrite put everything on disk). */
    private void releaseCoveredWaiters() {
        List<Waiter> covered = new ArrayList<>();
        takeCovered(covered);
        covered.forEach(w -> w.done().complete(null));
    }

    /** Moves the waiters whose lines are on disk to {@code covered} (they wait in about, not exactly, line order). */
    private void takeCovered(List<Waiter> covered) {
        waiters.removeIf(w -> {
            if (w.line() <= durable) {
                covered.add(w);
                return true;
            }
            return false;
        });
    }

    private UncheckedIOException unwritable(IOException failure) {
        return new UncheckedIOException("the idempotency journal " + journal + " could not be written", failure);
    }

    private void failIfBroken() {
        IOException failure = broken;
        if (failure != null) {
            throw unwritable(failure);
        }
    }

    /**
     * Takes the journal's lock and reads the journal, once. {@code wait}: until the lock is free (another process
     * holds it); otherwise give up at once.
     */
    private boolean open(boolean wait) {
        if (channel != null) {
            return true;
        }
        if (closed) {
            throw new IllegalStateException("the idempotency store is closed");
        }
        if (!wait && !mayTakeUnasked.getAsBoolean()) {
            return false;
        }
        failIfBroken();
        try {
            Path lockFile = dir.resolve(LOCK);
            if (Files.isSymbolicLink(lockFile) || Files.isSymbolicLink(journal)) {
                throw new IllegalStateException("the idempotency journal in " + dir + " is a symbolic link; refusing it");
            }
            if (lockChannel == null) {
                lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
            }
            long started = System.nanoTime();
            long nextLog = 0;
            while (lock == null) {
                try {
                    lock = lockChannel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock != null) {
                    break;
                }
                if (!wait) {
                    return false;
                }
                long waited = System.nanoTime() - started;
                if (waited >= nextLog) {
                    LOG.warnf("The idempotency journal %s is in use by another process (one writer at a time); "
                            + "waiting for it to stop", journal);
                    nextLog = waited + LOCK_WAIT_LOG.toNanos();
                }
                wait(500);
            }
            replay();
            rewriteUninterrupted();
            flusher = new Thread(this::flush, "idempotency-journal");
            flusher.setDaemon(true);
            flusher.start();
            return true;
        } catch (IOException e) {
            // never retried: every claim would fail alike; liveness goes DOWN so that the orchestrator restarts it
            broken = e;
            throw new UncheckedIOException("cannot open the idempotency journal in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the idempotency journal " + journal, e);
        }
    }

    /**
     * Reads the journal as bytes, line by line: whatever follows the last line break (a line torn by a crash, cut
     * anywhere, even inside a multi-byte character) never counted and is dropped, and a line that does not decode or
     * parse is skipped; neither stops the rest from being read.
     */
    private void replay() throws IOException {
        if (!Files.exists(journal, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        byte[] bytes = Files.readAllBytes(journal);
        int skipped = 0;
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            if (i > start && !replayLine(bytes, start, i - start)) {
                skipped++;
            }
            start = i + 1;
        }
        if (start < bytes.length) {
            skipped++;
        }
        if (skipped > 0) {
            LOG.warnf("Skipped %d unreadable line(s) of %s", skipped, journal);
        }
    }

    private boolean replayLine(byte[] bytes, int offset, int length) {
        try {
            String line = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, offset, length)).toString();
            if (line.isBlank()) {
                return true;
            }
            JsonNode node = Json.MAPPER.readTree(line);
            RequestRecord record = RequestRecordJson.read(node.get("requestId").asText(), node);
            records.remove(record.requestId());
            records.put(record.requestId(), record);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * {@link #rewrite} on the caller's thread, with its interrupt held back meanwhile: an interrupt during a write would
     * close the journal's channel under the store. The caller's thread is interrupted again afterwards.
     */
    private void rewriteUninterrupted() throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            rewrite();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Writes the live records to a new journal and swaps it in atomically; everything appended is then on disk (the
     * lines not written yet belong to records the new journal holds). Waits for a force under way on the old journal.
     */
    private void rewrite() throws IOException {
        journalLock.lock();
        try {
            while (forcing) {
                forced.awaitUninterruptibly();
            }
            failIfBroken();
            rewriteForced();
            pending.reset();
            durable = appended;
            releaseCoveredWaiters();
        } finally {
            journalLock.unlock();
        }
    }

    private void rewriteForced() throws IOException {
        if (channel != null) {
            channel.close();
        }
        records.values().removeIf(this::expired);
        Path temp = journal.resolveSibling("." + JOURNAL + ".tmp");
        Files.deleteIfExists(temp);
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteArrayOutputStream all = new ByteArrayOutputStream(64 * 1024);
            for (RequestRecord record : List.copyOf(records.values())) {
                all.writeBytes(line(record));
                if (all.size() >= 64 * 1024) {
                    writeFully(out, all.toByteArray());
                    all.reset();
                }
            }
            writeFully(out, all.toByteArray());
            out.force(true);
        }
        Files.move(temp, journal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        channel = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
        linesWritten = records.size();
    }

    private static void writeFully(FileChannel out, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /** The record as one JSON line (under this store's monitor: the buffer is reused). */
    private byte[] line(RequestRecord record) throws IOException {
        lineBuffer.reset();
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(lineBuffer)) {
            json.writeStartObject();
            json.writeStringField("requestId", record.requestId());
            RequestRecordJson.writeFields(record, json);
            json.writeEndObject();
        }
        lineBuffer.write('\n');
        return lineBuffer.toByteArray();
    }

    /** Writes and forces what was appended and not written yet (outcomes recorded unsynced), then lets go. */
    @Override
    public synchronized void close() throws IOException {
        if (channel != null && broken == null) {
            try {
                sync();
            } catch (UncheckedIOException e) {
                LOG.warnf("The idempotency journal %s could not be forced on close (%s)", journal, e.getMessage());
            }
        }
        journalLock.lock();
        try {
            closed = true;
            waiting.signalAll();
        } finally {
            journalLock.unlock();
        }
        if (flusher != null) {
            try {
                flusher.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (channel != null) {
            channel.close();
            channel = null;
        }
        if (lock != null) {
            lock.release();
            lock = null;
        }
        if (lockChannel != null) {
            lockChannel.close();
            lockChannel = null;
        }
    }
}
