package io.github.ncpsnapshotbridge.idempotency;

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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.ncpsnapshotbridge.support.Json;

/**
 * The store of one writer: a journal of JSON lines on disk, replayed when it is opened. One process writes it at a
 * time: it holds an exclusive lock on {@code requests.lock} beside the journal, taken when the store is first needed
 * (so a standby replica on a shared folder opens it only once it works); a second process waits for the lock and says
 * so. Because the lock dies with its process, a claim of another owner found in the journal is an orphan and may be
 * taken over at once. A record counts only once it is forced to disk: every write returns only after a force that
 * covers it. Writes of requests under way together share one force (group commit): whoever forces covers every line
 * appended before, and the others find their line on disk already. {@link #doneUnsynced} appends without waiting:
 * an intake that acknowledges its inputs in batches calls {@link #sync} once before each acknowledgement. A line torn
 * by a crash is dropped when the journal is rewritten at open, so it never runs into the next record.
 */
public class FileIdempotencyStore implements IdempotencyStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FileIdempotencyStore.class);
    static final String JOURNAL = "requests.jsonl";
    static final String LOCK = "requests.lock";
    /** How often a process waiting for the journal says so. */
    private static final Duration LOCK_WAIT_LOG = Duration.ofSeconds(30);

    private final Path dir;
    private final Path journal;
    private final Duration retention;
    private final Clock clock;
    private final Map<String, RequestRecord> records = new LinkedHashMap<>();
    private FileChannel lockChannel;
    private FileLock lock;
    private FileChannel channel;
    private long linesWritten;
    /** Lines appended so far (written after their bytes); lines up to {@link #durable} are on disk. */
    private final java.util.concurrent.atomic.AtomicLong appended = new java.util.concurrent.atomic.AtomicLong();
    /** Guards {@link #durable} and the channel while it is forced; taken after {@code this}, never before. */
    private final Object forceLock = new Object();
    private long durable;
    private long forces;
    private boolean closed;

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
        ClaimResult result;
        long line;
        synchronized (this) {
            result = decideClaim(requestId, owner, leaseUntil, payload);
            if (!result.owned()) {
                return result;
            }
            line = appended.get();
        }
        awaitDurable(line);
        return result;
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
                null, now);
        write(claimed);
        return new ClaimResult(kind, claimed, existing == null ? null : ClaimResult.uncertainSince(existing, now));
    }

    @Override
    public boolean renew(String requestId, String owner, Instant leaseUntil) {
        long line;
        synchronized (this) {
            open(true);
            RequestRecord existing = records.get(requestId);
            if (existing == null || !existing.inFlight() || !owner.equals(existing.owner())) {
                return false;
            }
            line = write(new RequestRecord(requestId, RequestRecord.State.IN_FLIGHT, owner, leaseUntil,
                    existing.payload(), null, clock.instant()));
        }
        awaitDurable(line);
        return true;
    }

    @Override
    public void done(String requestId, String owner, String outcome, String tracking) {
        awaitDurable(writeDone(requestId, owner, outcome, tracking));
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
        awaitDurable(appended.get());
    }

    @Override
    public synchronized Collection<RequestRecord> tracked() {
        if (!open(false)) {
            return List.of();
        }
        return records.values().stream().filter(r -> r.tracked() && !expired(r)).toList();
    }

    @Override
    public void untrack(String requestId) {
        long line;
        synchronized (this) {
            open(true);
            RequestRecord previous = records.get(requestId);
            if (previous == null || !previous.tracked()) {
                return;
            }
            line = write(previous.untracked(clock.instant()));
        }
        awaitDurable(line);
    }

    /** The process holding the journal's lock leads; one that does not tries to take it, without waiting. */
    @Override
    public synchronized boolean leads() {
        return !closed && open(false);
    }

    /** Disk forces so far: fewer than records written when requests are under way together. */
    public long forces() {
        synchronized (forceLock) {
            return forces;
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
     * {@link #awaitDurable} outside the monitor, so that other requests can append meanwhile and share the force.
     * Other requests see the record at once; only its writer must wait for the disk before it acts on it.
     */
    private long write(RequestRecord record) {
        try {
            channel.write(ByteBuffer.wrap(line(record)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the idempotency journal " + journal, e);
        }
        records.remove(record.requestId());
        records.put(record.requestId(), record);
        long line = appended.incrementAndGet();
        if (++linesWritten > 2L * records.size() + 1000) {
            try {
                rewrite();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot rewrite the idempotency journal " + journal, e);
            }
        }
        return line;
    }

    /** Returns once line {@code line} is on disk: forced by this caller, or already by another one. */
    private void awaitDurable(long line) {
        synchronized (forceLock) {
            if (durable >= line) {
                return;
            }
            // every line appended so far has its bytes written: one force covers them all
            long upTo = appended.get();
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot force the idempotency journal " + journal + " to disk", e);
            }
            forces++;
            durable = upTo;
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
            rewrite();
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the idempotency journal in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the idempotency journal " + journal, e);
        }
    }

    private void replay() throws IOException {
        if (!Files.exists(journal)) {
            return;
        }
        String text = Files.readString(journal, StandardCharsets.UTF_8);
        int skipped = 0;
        int end = text.lastIndexOf('\n');
        if (end < text.length() - 1) {
            // the last line has no end: it was being written when the process died and never counted
            skipped++;
        }
        for (String line : text.substring(0, end + 1).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode node = Json.MAPPER.readTree(line);
                RequestRecord record = RequestRecordJson.read(node.get("requestId").asText(), node);
                records.remove(record.requestId());
                records.put(record.requestId(), record);
            } catch (IOException | RuntimeException e) {
                skipped++;
            }
        }
        if (skipped > 0) {
            LOG.warnf("Skipped %d unreadable line(s) of %s", skipped, journal);
        }
    }

    /** Writes the live records to a new journal and swaps it in atomically; everything appended is then on disk. */
    private void rewrite() throws IOException {
        synchronized (forceLock) {
            rewriteForced();
            durable = appended.get();
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
            for (RequestRecord record : List.copyOf(records.values())) {
                out.write(ByteBuffer.wrap(line(record)));
            }
            out.force(true);
        }
        Files.move(temp, journal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        channel = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
        linesWritten = records.size();
    }

    private static byte[] line(RequestRecord record) throws IOException {
        ObjectNode node = Json.MAPPER.createObjectNode().put("requestId", record.requestId());
        node.setAll(RequestRecordJson.write(record));
        return (Json.MAPPER.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
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
