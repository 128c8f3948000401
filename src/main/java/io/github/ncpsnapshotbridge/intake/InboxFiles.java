package io.github.ncpsnapshotbridge.intake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.Exchange;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.ncpsnapshotbridge.settings.BridgeConfig;
import io.github.ncpsnapshotbridge.pipeline.FieldError;
import io.github.ncpsnapshotbridge.pipeline.IntakeItem;
import io.github.ncpsnapshotbridge.pipeline.RequestStart;
import io.github.ncpsnapshotbridge.support.Json;
import io.github.ncpsnapshotbridge.pipeline.RequestBatch;
import io.github.ncpsnapshotbridge.pipeline.RequestBatchReader;

/**
 * Reads a dropped file into requests, and afterwards decides where it goes: {@code .done/} once every request's
 * event is out, {@code .error/} (with {@code <name>.error.json}) when the file could not be read at all. An existing
 * file of the same name there is never replaced: the newcomer gets a numbered name.
 */
@ApplicationScoped
public class InboxFiles {

    public static final String DONE_DIR = ".done";
    public static final String ERROR_DIR = ".error";
    /** Relative to the inbox; the file consumer's {@code move} option reads it once the exchange completes. */
    public static final String ARCHIVE_AS = "bridgeArchiveAs";
    private static final String BATCH = "bridgeBatch";

    private final RequestBatchReader reader;
    private final Path inbox;
    private final Clock clock;
    private final long maxFileBytes;
    private final int maxRequests;

    public InboxFiles(RequestBatchReader reader, BridgeConfig config, Clock clock) {
        this.reader = reader;
        this.inbox = config.inboxDir();
        this.clock = clock;
        this.maxFileBytes = byteSize(config.inbox().maxFileSize());
        this.maxRequests = config.inbox().maxRequestsPerFile();
    }

    public List<IntakeItem> read(Exchange exchange) {
        exchange.setProperty(RequestStart.CHANNEL, "file");
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        long size = exchange.getMessage().getHeader(Exchange.FILE_LENGTH, 0L, Long.class);
        long modified = exchange.getMessage().getHeader(Exchange.FILE_LAST_MODIFIED, 0L, Long.class);
        String identity = transportIdentity(name, size, modified);
        RequestBatch batch;
        if (size > maxFileBytes) {
            // refused whole, unread: nothing of it reaches the heap, the journal or NCP
            batch = RequestBatch.unreadable("", "file too large: " + size + " bytes, the limit "
                    + "(BRIDGE_INBOX_MAX_FILE_SIZE) is " + maxFileBytes + " bytes", identity);
        } else {
            batch = reader.read(exchange.getMessage().getBody(byte[].class), RequestBatchReader.Format.ofFileName(name),
                    identity);
            if (!batch.unreadable() && batch.items().size() > maxRequests) {
                batch = RequestBatch.unreadable("", "too many requests: " + batch.items().size() + ", the limit "
                        + "(BRIDGE_INBOX_MAX_REQUESTS_PER_FILE) is " + maxRequests + " per file", identity);
            }
        }
        exchange.setProperty(BATCH, batch);
        return batch.items();
    }

    public void archive(Exchange exchange) throws IOException {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        RequestBatch batch = exchange.getProperty(BATCH, RequestBatch.class);
        boolean unreadable = batch != null && batch.unreadable();
        String dirName = unreadable ? ERROR_DIR : DONE_DIR;
        Path dir = safeDir(inbox, dirName);
        String target = freeName(dir, name);
        if (unreadable) {
            writeReason(dir.resolve(target + ".error.json"), name, dirName + "/" + target, batch);
        }
        exchange.setProperty(ARCHIVE_AS, dirName + "/" + target);
    }

    /**
     * The derived request id of a file: its name, size and time stamp, hashed. A file read again after a crash gives
     * the same ids; a new file with the same content, dropped later, does not.
     */
    static String transportIdentity(String name, long size, long modified) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((name + "\n" + size + "\n" + modified).getBytes(StandardCharsets.UTF_8));
            return "file:" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    static String freeName(Path dir, String name) {
        if (!Files.exists(dir.resolve(name)) && !Files.exists(dir.resolve(name + ".error.json"))) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int n = 1;; n++) {
            String candidate = stem + "-" + n + ext;
            if (!Files.exists(dir.resolve(candidate)) && !Files.exists(dir.resolve(candidate + ".error.json"))) {
                return candidate;
            }
        }
    }

    /**
     * {@code inbox/name}, created when missing; never a symbolic link (a planted {@code .error} link would send the
     * bridge's writes elsewhere).
     */
    static Path safeDir(Path inbox, String name) throws IOException {
        Path dir = inbox.resolve(name);
        if (Files.isSymbolicLink(dir)) {
            throw new IllegalStateException(dir + " is a symbolic link: the bridge never writes through one; remove it");
        }
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(dir);
        }
        return dir;
    }

    /** Writes {@code content} to a dot-named temporary file beside {@code file}, then renames it into place. */
    static void writeAtomically(Path file, byte[] content) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.write(temp, content, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.LinkOption.NOFOLLOW_LINKS);
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code 1MB}, {@code 512KB}, {@code 2048} (bytes): binary units. */
    public static long byteSize(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\\s*(\\d+)\\s*([KMG]?)B?\\s*").matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("BRIDGE_INBOX_MAX_FILE_SIZE must be a size like 1MB or 512KB, not '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toUpperCase(java.util.Locale.ROOT)) {
            case "K" -> n << 10;
            case "M" -> n << 20;
            case "G" -> n << 30;
            default -> n;
        };
    }

    private void writeReason(Path reasonFile, String name, String movedTo, RequestBatch batch) throws IOException {
        ObjectNode reason = Json.MAPPER.createObjectNode();
        reason.put("file", name);
        reason.put("movedTo", movedTo);
        reason.put("requestId", batch.items().get(0).derivedRequestId());
        var errors = reason.putArray("errors");
        for (FieldError error : batch.unreadableReason()) {
            errors.addObject().put("field", error.field()).put("message", error.message());
        }
        reason.put("at", clock.instant().toString());
        writeAtomically(reasonFile, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(reason));
    }
}
