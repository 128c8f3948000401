package io.github.ncpsnapshotbridge.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The inbox and outbox of one bridge run, as a user sees them. */
public record DropFolders(Path inbox, Path outbox) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Drops a file the way a careful user does: write under a dot-name, then rename. */
    public Path drop(String name, String content) {
        try {
            Files.createDirectories(inbox);
            Path temp = inbox.resolve("." + name + ".partial");
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            return Files.move(temp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file's text, or "" when it cannot be read (gone meanwhile, say). */
    public String readText(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    /** The file {@code name} as the bridge took it in: {@code inbox/.work/<token>/name}, while it is worked on. */
    public Optional<Path> taken(String name) {
        try (var folders = Files.list(inbox.resolve(".work"))) {
            return folders.map(folder -> folder.resolve(name)).filter(Files::exists).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public Path done(String name) {
        return inbox.resolve(".done").resolve(name);
    }

    public Path error(String name) {
        return inbox.resolve(".error").resolve(name);
    }

    /** Every event in the outbox, parsed. */
    public List<JsonNode> events() {
        if (!Files.isDirectory(outbox)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(outbox)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")
                    && !p.getFileName().toString().startsWith("."))
                    .map(DropFolders::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<JsonNode> events(Predicate<JsonNode> filter) {
        return events().stream().filter(filter).toList();
    }

    /** Events whose {@code data.requestId} starts with {@code prefix}. */
    /** The outcome events (one per request) of the requests whose id starts with {@code prefix}. */
    public List<JsonNode> eventsForRequestIds(String prefix) {
        return events(e -> e.at("/data/requestId").asText("").startsWith(prefix) && !isCompletion(e));
    }

    /** The completion events ({@code completed}, {@code unavailable}) of those requests. */
    public List<JsonNode> completionEventsFor(String prefix) {
        return events(e -> e.at("/data/requestId").asText("").startsWith(prefix) && isCompletion(e));
    }

    private static boolean isCompletion(JsonNode event) {
        String type = event.path("type").asText("");
        return type.endsWith(".completed") || type.endsWith(".unavailable");
    }

    /** Events whose {@code data.raw} (rejected ones) contains {@code marker}. */
    public List<JsonNode> rejectedContaining(String marker) {
        return events(e -> e.at("/data/raw").asText("").contains(marker));
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable event " + file, e);
        }
    }
}
