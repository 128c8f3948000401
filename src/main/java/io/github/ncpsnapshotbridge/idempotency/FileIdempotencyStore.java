package io.github.ncpsnapshotbridge.idempotency;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.ncpsnapshotbridge.pipeline.Json;

/**
 * The store of one instance: a journal of JSON lines on local disk, forced to the device before a call goes to NCP,
 * replayed at start. Records older than the retention are dropped when the journal is rewritten (at start and
 * whenever it has grown to twice the live records).
 */
public class FileIdempotencyStore implements IdempotencyStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FileIdempotencyStore.class);
    static final String JOURNAL = "requests.jsonl";

    private final Path journal;
    private final Duration retention;
    private final Clock clock;
    private final Map<String, RequestRecord> records = new LinkedHashMap<>();
    private FileChannel channel;
    private long linesWritten;

    public FileIdempotencyStore(Path dir, Duration retention, Clock clock) {
        this.retention = retention;
        this.clock = clock;
        try {
            Files.createDirectories(dir);
            this.journal = dir.resolve(JOURNAL);
            replay();
            rewrite();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the idempotency journal in " + dir, e);
        }
    }

    @Override
    public synchronized Optional<RequestRecord> find(String requestId) {
        RequestRecord record = records.get(requestId);
        return record == null || expired(record) ? Optional.empty() : Optional.of(record);
    }

    @Override
    public synchronized Optional<RequestRecord> claim(String requestId, String volume, String snapshotName,
            String account) {
        Optional<RequestRecord> existing = find(requestId);
        if (existing.isPresent()) {
            return existing;
        }
        write(new RequestRecord(requestId, RequestRecord.State.IN_FLIGHT, volume, snapshotName, account, null,
                clock.instant()));
        return Optional.empty();
    }

    @Override
    public synchronized void done(String requestId, String outcome) {
        RequestRecord previous = records.get(requestId);
        write(new RequestRecord(requestId, RequestRecord.State.DONE, previous == null ? null : previous.volume(),
                previous == null ? null : previous.snapshotName(), previous == null ? null : previous.account(), outcome,
                clock.instant()));
    }

    @Override
    public synchronized Collection<RequestRecord> inFlight() {
        return records.values().stream().filter(r -> r.state() == RequestRecord.State.IN_FLIGHT && !expired(r)).toList();
    }

    private boolean expired(RequestRecord record) {
        return record.at().plus(retention).isBefore(clock.instant());
    }

    private void write(RequestRecord record) {
        records.remove(record.requestId());
        records.put(record.requestId(), record);
        try {
            channel.write(ByteBuffer.wrap(line(record)));
            // the record must be on disk before NCP hears of the request, or a crash could lose it
            channel.force(false);
            if (++linesWritten > 2L * records.size() + 1000) {
                rewrite();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the idempotency journal " + journal, e);
        }
    }

    private void replay() throws IOException {
        if (!Files.exists(journal)) {
            return;
        }
        int skipped = 0;
        for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode node = Json.MAPPER.readTree(line);
                RequestRecord record = RequestRecordJson.read(node.get("requestId").asText(), node);
                records.remove(record.requestId());
                records.put(record.requestId(), record);
            } catch (IOException | RuntimeException e) {
                // a line cut short by a crash while it was written; everything before it is intact
                skipped++;
            }
        }
        if (skipped > 0) {
            LOG.warnf("Skipped %d unreadable line(s) of %s", skipped, journal);
        }
    }

    /** Writes the live records to a new journal and swaps it in atomically. */
    private void rewrite() throws IOException {
        if (channel != null) {
            channel.close();
        }
        records.values().removeIf(this::expired);
        Path temp = journal.resolveSibling("." + JOURNAL + ".tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            for (RequestRecord record : List.copyOf(records.values())) {
                out.write(ByteBuffer.wrap(line(record)));
            }
            out.force(true);
        }
        Files.move(temp, journal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        channel = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        linesWritten = records.size();
    }

    private static byte[] line(RequestRecord record) throws IOException {
        ObjectNode node = Json.MAPPER.createObjectNode().put("requestId", record.requestId());
        node.setAll(RequestRecordJson.write(record));
        return (Json.MAPPER.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
