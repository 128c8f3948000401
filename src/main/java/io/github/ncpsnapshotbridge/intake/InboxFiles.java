package io.github.ncpsnapshotbridge.intake;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.Exchange;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.ncpsnapshotbridge.settings.BridgeConfig;
import io.github.ncpsnapshotbridge.pipeline.FieldError;
import io.github.ncpsnapshotbridge.pipeline.IntakeItem;
import io.github.ncpsnapshotbridge.support.Json;
import io.github.ncpsnapshotbridge.pipeline.RequestBatch;
import io.github.ncpsnapshotbridge.pipeline.RequestBatchReader;

/**
 * Names the folder a dropped file is taken into, reads it from there into requests, and afterwards moves it on:
 * {@code .done/} once every request's event is out, {@code .error/} (with {@code <name>.error.json}) when the file
 * could not be read at all. An existing file of the same name there is never replaced: the newcomer gets a numbered
 * name, or a short one when its own is too long to archive.
 */
@ApplicationScoped
public class InboxFiles {

    private static final Logger LOG = Logger.getLogger(InboxFiles.class);

    public static final String DONE_DIR = ".done";
    public static final String ERROR_DIR = ".error";
    /** Files taken in, each in a folder of its own ({@code .work/<token>/<name>}) until it is archived. */
    public static final String WORK_DIR = ".work";
    /** The token of the folder a file is taken into; the file consumer's {@code move} option reads it. */
    public static final String WORK_TOKEN = "bridgeWorkToken";
    /** Ends the name of a work folder holding a file whose own name could not be decoded. */
    static final String UNDECODABLE = "-undecodable";
    private static final String BATCH = "bridgeBatch";
    /** How many bytes of the file were read (Long); what it holds beyond that at archiving is kept to be read. */
    private static final String READ_BYTES = "bridgeReadBytes";
    /** Set when the file was left to wait for its writer: nothing of it was worked on, and it stays. */
    private static final String WAITING = "bridgeWaitingForWriter";
    /** Longest file name most file systems take, in bytes. */
    static final int MAX_NAME_BYTES = 255;
    private static final String REASON_SUFFIX = ".error.json";
    /** A file that ends mid-way waits while it changed within this many times {@code stable-for}. */
    static final int WRITER_GRACE_FACTOR = 10;

    private final RequestBatchReader reader;
    private final Path inbox;
    private final Clock clock;
    private final long maxFileBytes;
    private final int maxRequests;
    /** A file that ends mid-way waits for its writer while it changed within this time. */
    private final Duration writerGrace;

    public InboxFiles(RequestBatchReader reader, BridgeConfig config, Clock clock) {
        this.reader = reader;
        this.inbox = config.inboxDir();
        this.clock = clock;
        this.maxFileBytes = byteSize(config.inbox().maxFileSize());
        this.maxRequests = config.inbox().maxRequestsPerFile();
        this.writerGrace = config.inbox().stableFor().multipliedBy(WRITER_GRACE_FACTOR);
    }

    /** A new folder name under {@code .work/} for the file the consumer is taking in. */
    public void nameWorkFolder(Exchange exchange) {
        exchange.setProperty(WORK_TOKEN, newWorkToken());
    }

    static String newWorkToken() {
        return Long.toString(System.currentTimeMillis(), 36) + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    /** The extensions the drop folder takes in (the file consumer's {@code includeExt}, too). */
    static final List<String> EXTENSIONS = List.of("json", "jsonl", "ndjson");

    static boolean isRequestFileName(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(ext -> lower.endsWith("." + ext));
    }

    /** {@code file}'s name with every byte outside printable ASCII percent-escaped (as in a file URI). */
    static String escapedName(Path file) {
        String path = file.toUri().getRawPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * Reads a file taken into {@code .work/<token>/}: through a descriptor that follows no link, and no more than the
     * size limit allows. Its derived request ids come from its token and name, so a crash and a second read give the
     * same ids, and the same file dropped again (a copy, or a re-drop under the same name) gives new ones.
     */
    public List<IntakeItem> read(Exchange exchange) throws IOException {
        exchange.setProperty(IntakeItem.CHANNEL, "file");
        Path file = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
        String name = file.getFileName().toString();
        String token = file.getParent().getFileName().toString();
        String identity = transportIdentity(token, name);
        RequestBatch batch;
        if (token.endsWith(UNDECODABLE)) {
            batch = RequestBatch.unreadable("", "the file's name cannot be decoded as "
                    + System.getProperty("sun.jnu.encoding") + " (its bytes, percent-escaped: " + name + "); it was not"
                    + " read: give it a UTF-8 name and drop it again, with the bridge under a UTF-8 locale", identity);
            exchange.setProperty(BATCH, batch);
            return batch.items();
        }
        try (SeekableByteChannel channel = Files.newByteChannel(file, Set.of(StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS))) {
            long size = channel.size();
            byte[] content = size > maxFileBytes ? null : readAtMost(channel, maxFileBytes);
            if (content == null || content.length > maxFileBytes) {
                // refused whole, unread: nothing of it reaches the heap, the journal or NCP
                batch = RequestBatch.unreadable("", "file too large: " + Math.max(size, maxFileBytes + 1) + " bytes, the"
                        + " limit (BRIDGE_INBOX_MAX_FILE_SIZE) is " + maxFileBytes + " bytes", identity);
            } else if (endsMidway(content, RequestBatchReader.Format.ofFileName(name)) && changedWithin(file, writerGrace)) {
                // its writer paused longer than stable-for: wait for the rest rather than read half of it
                exchange.setProperty(WAITING, true);
                return List.of();
            } else {
                exchange.setProperty(READ_BYTES, (long) content.length);
                batch = reader.read(content, RequestBatchReader.Format.ofFileName(name), identity);
                if (!batch.unreadable() && batch.items().size() > maxRequests) {
                    batch = RequestBatch.unreadable("", "too many requests: " + batch.items().size() + ", the limit "
                            + "(BRIDGE_INBOX_MAX_REQUESTS_PER_FILE) is " + maxRequests + " per file", identity);
                }
            }
        }
        exchange.setProperty(BATCH, batch);
        return batch.items();
    }

    /** What {@code channel} holds, but no more than {@code limit + 1} bytes (a file still growing is cut there). */
    private static byte[] readAtMost(SeekableByteChannel channel, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        while (out.size() <= limit && channel.read(buffer) >= 0) {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        byte[] all = out.toByteArray();
        return all.length > limit + 1 ? Arrays.copyOf(all, (int) (limit + 1)) : all;
    }

    /**
     * Whether {@code content} stops where a writer may yet go on: nothing yet, a JSON document that is not closed, or
     * a last line without its line break.
     */
    static boolean endsMidway(byte[] content, RequestBatchReader.Format format) {
        if (content.length == 0) {
            return true;
        }
        if (format == RequestBatchReader.Format.JSON_LINES) {
            return content[content.length - 1] != '\n';
        }
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(content)) {
            while (parser.nextToken() != null) {
                // every token, not skipChildren(): that stops quietly at the end of the input
            }
            return false;
        } catch (JsonProcessingException e) {
            // cut off: the parser ran out of input (it says so in more than one way, but always at the end); broken
            // otherwise, the reader says how
            return e.getLocation() != null && e.getLocation().getByteOffset() >= content.length;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean changedWithin(Path file, Duration grace) throws IOException {
        Instant modified = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant();
        return modified.isAfter(clock.instant().minus(grace));
    }

    /**
     * Moves the file out of {@code .work/}: to {@code .done/}, or to {@code .error/} beside the reason. A file left to
     * wait for its writer stays. What a writer added after the file was read is first copied into a work folder of
     * its own, and read as a file of its own: a half-read is never archived.
     */
    public void archive(Exchange exchange) throws IOException {
        if (Boolean.TRUE.equals(exchange.getProperty(WAITING))) {
            return;
        }
        Path file = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
        String name = file.getFileName().toString();
        Long read = exchange.getProperty(READ_BYTES, Long.class);
        if (read != null) {
            keepWhatCameAfter(file, read);
        }
        RequestBatch batch = exchange.getProperty(BATCH, RequestBatch.class);
        boolean unreadable = batch != null && batch.unreadable();
        String dirName = unreadable ? ERROR_DIR : DONE_DIR;
        Path dir = safeDir(inbox, dirName);
        String target = freeName(dir, name);
        if (unreadable) {
            writeReason(dir.resolve(target + REASON_SUFFIX), name, dirName + "/" + target, batch);
        }
        moveOutOfWork(file, dir.resolve(target));
    }

    private void keepWhatCameAfter(Path file, long read) throws IOException {
        byte[] rest;
        try (SeekableByteChannel channel = Files.newByteChannel(file, Set.of(StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS))) {
            if (channel.size() <= read) {
                return;
            }
            channel.position(read);
            rest = readAtMost(channel, maxFileBytes);
        }
        Path folder = Files.createDirectory(safeDir(inbox, WORK_DIR).resolve(newWorkToken()));
        writeAtomically(folder.resolve(file.getFileName()), rest);
        LOG.warnf("Drop folder: %s grew by %d bytes after it was read (its writer paused longer than"
                + " BRIDGE_INBOX_STABLE_FOR); they are read as a file of their own. Write drop files under a dot-name"
                + " and rename them into place", file.getFileName(), rest.length);
    }

    /** Moves a taken file (or link) to {@code target}, and removes its emptied folder under {@code .work/}. */
    static void moveOutOfWork(Path file, Path target) throws IOException {
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        Path folder = file.getParent();
        if (folder.getParent() != null && folder.getParent().getFileName().toString().equals(WORK_DIR)) {
            try {
                Files.deleteIfExists(folder);
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                // something else in it: left for the consumer
            }
        }
    }

    /** {@code inbox/.work}, created for the bridge alone; never a link. */
    static Path privateWorkDir(Path inbox) throws IOException {
        Files.createDirectories(inbox);
        Path dir = safeDir(inbox, WORK_DIR);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own permissions apply
        }
        return dir;
    }

    /** The derived request id of a file taken in: its work folder's token and its name, hashed. */
    static String transportIdentity(String token, String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((token + "\n" + name).getBytes(StandardCharsets.UTF_8));
            return "file:" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * A name in {@code dir} that neither a file nor a reason file has: {@code name}, else {@code <stem>-<n><ext>}. A
     * name too long for that (with {@code .error.json} after it, over 255 bytes) becomes {@code file-<hash><ext>};
     * the reason file keeps the original.
     */
    static String freeName(Path dir, String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 && name.length() - dot <= 8 ? name.substring(dot) : "";
        String stem = name.substring(0, name.length() - ext.length());
        if (bytes(name + "-999999" + REASON_SUFFIX) > MAX_NAME_BYTES) {
            stem = "file-" + transportIdentity("name", name).substring("file:".length());
            name = stem + ext;
        }
        for (int n = 0;; n++) {
            String candidate = n == 0 ? name : stem + "-" + n + ext;
            if (!Files.exists(dir.resolve(candidate), LinkOption.NOFOLLOW_LINKS)
                    && !Files.exists(dir.resolve(candidate + REASON_SUFFIX), LinkOption.NOFOLLOW_LINKS)) {
                return candidate;
            }
        }
    }

    private static int bytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length;
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
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(dir);
        }
        return dir;
    }

    /** Writes {@code content} to a dot-named temporary file beside {@code file}, then renames it into place. */
    static void writeAtomically(Path file, byte[] content) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.write(temp, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
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
