package io.github.ncpsnapshotbridge.intake;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.ncpsnapshotbridge.pipeline.BridgeEvent;
import io.github.ncpsnapshotbridge.pipeline.EventType;
import io.github.ncpsnapshotbridge.pipeline.IntakeItem;
import io.github.ncpsnapshotbridge.testsupport.DropFolderResource;
import io.github.ncpsnapshotbridge.testsupport.Requests;
import io.github.ncpsnapshotbridge.testsupport.DropFolders;
import io.github.ncpsnapshotbridge.testsupport.InjectDropFolders;
import io.github.ncpsnapshotbridge.testsupport.InjectNcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFakeResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The drop folder as a user experiences it: what gets read, when, and where each file ends up. */
@QuarkusTest
@QuarkusTestResource(NcpFakeResource.class)
@QuarkusTestResource(DropFolderResource.class)
class FileIntakeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @InjectDropFolders
    DropFolders folders;

    @Inject
    ProducerTemplate template;

    @InjectNcpFake
    NcpFake ncp;

    private static String id() {
        return "fi-" + UUID.randomUUID();
    }

    private static String request(String requestId, String volume) {
        return Requests.of(requestId, volume).json();
    }

    /**
     * The same outcome published again (a done request sent again gives a {@code duplicate} event with the same id)
     * replaces its file in the outbox in one step: a reader polling the outbox never finds the file gone or half
     * written in between.
     */
    @Test
    void anEventPublishedAgainReplacesItsFileInOneStep() throws Exception {
        String requestId = id();
        String eventId = UUID.nameUUIDFromBytes(requestId.getBytes(StandardCharsets.UTF_8)).toString();
        String json = "{\"id\":\"" + eventId + "\",\"type\":\"" + EventType.DUPLICATE.cloudEventType()
                + "\",\"data\":{\"requestId\":\"" + requestId + "\",\"padding\":\"" + "x".repeat(4000) + "\"}}";
        BridgeEvent event = new BridgeEvent(eventId, EventType.DUPLICATE, requestId, "101", 1, json);
        Path file = folders.outbox().resolve(eventId + ".json");
        publish(event);

        AtomicBoolean publishing = new AtomicBoolean(true);
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            int reads = 0;
            while (publishing.get()) {
                try {
                    String read = Files.readString(file);
                    // one event, on a line of its own
                    if (!read.equals(json + "\n")) {
                        return "half an event after " + reads + " reads: " + read.length() + " of " + (json.length() + 1);
                    }
                    reads++;
                } catch (NoSuchFileException e) {
                    return "the event's file was gone after " + reads + " reads";
                } catch (IOException e) {
                    return e.toString();
                }
            }
            return "ok";
        });
        try {
            for (int i = 0; i < 300 && !reader.isDone(); i++) {
                publish(event);
            }
        } finally {
            publishing.set(false);
        }
        assertEquals("ok", reader.get());
        try (var files = Files.list(folders.outbox())) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("." + eventId)).toList(), "no temporary file left behind");
        }
    }

    private void publish(BridgeEvent event) {
        Exception failed = template.send(BridgeEvent.PUBLISH, exchange -> {
            exchange.getMessage().setBody(event);
            exchange.setProperty(IntakeItem.CHANNEL, "file");
        }).getException();
        assertEquals(null, failed);
    }

    @Test
    void anArrayGivesOneEventPerRequestAndTheFileMovesToDone() {
        String id = id();
        folders.drop(id + ".json", "[" + request(id + "-a", "101") + "," + request(id + "-b", "10x") + ","
                + request(id + "-c", "103") + "]");

        await().atMost(WAIT).until(() -> Files.exists(folders.done(id + ".json")));
        List<JsonNode> events = folders.eventsForRequestIds(id);
        assertEquals(3, events.size(), "exactly one event per request, all published before the move");
        assertEquals(1, events.stream().filter(e -> e.get("type").asText().endsWith(".rejected")).count());
        assertEquals(2, events.stream().filter(e -> e.get("type").asText().endsWith(".created")).count());
        assertFalse(Files.exists(folders.inbox().resolve(id + ".json")));
    }

    @Test
    void jsonLinesWithBlankLinesAndCrlfGiveOneEventPerLine() {
        String id = id();
        folders.drop(id + ".jsonl", request(id + "-1", "201") + "\r\n\r\n" + request(id + "-2", "202") + "\r\n   \r\n"
                + request(id + "-3", "203") + "\r\n");
        await().atMost(WAIT).until(() -> Files.exists(folders.done(id + ".jsonl")));
        assertEquals(3, folders.eventsForRequestIds(id).size());
        folders.drop(id + ".ndjson", request(id + "-4", "204") + "\n");
        await().atMost(WAIT).until(() -> Files.exists(folders.done(id + ".ndjson")));
        assertEquals(4, folders.eventsForRequestIds(id).size());
    }

    @Test
    void anUnreadableFileGoesToErrorWithItsReasonAndOneRejectedEvent() throws IOException {
        String id = id();
        folders.drop(id + ".json", "{\"requestId\":\"" + id + "\",\"blockStorageInstanceNo\":");

        Path reason = folders.error(id + ".json.error.json");
        await().atMost(WAIT).until(() -> Files.exists(folders.error(id + ".json")) && Files.exists(reason));
        JsonNode why = new ObjectMapper().readTree(reason.toFile());
        assertEquals(id + ".json", why.get("file").asText());
        assertEquals("$", why.at("/errors/0/field").asText());
        assertTrue(why.at("/errors/0/message").asText().startsWith("not valid JSON"), why.toString());

        await().atMost(WAIT).until(() -> folders.rejectedContaining(id).size() == 1);
        JsonNode event = folders.rejectedContaining(id).get(0);
        assertEquals("ncp.blockstorage.snapshot.rejected", event.get("type").asText());
        assertTrue(event.at("/data/errors/0/message").asText().startsWith("not valid JSON"));
        // the original bytes are kept, untouched
        assertEquals("{\"requestId\":\"" + id + "\",\"blockStorageInstanceNo\":",
                Files.readString(folders.error(id + ".json")));
    }

    @Test
    void anEmptyFileGoesToError() {
        String id = id();
        folders.drop(id + ".json", "");
        await().atMost(WAIT).until(() -> Files.exists(folders.error(id + ".json.error.json")));
        assertTrue(Files.exists(folders.error(id + ".json")));
    }

    @Test
    void dotFilesAndOtherExtensionsAreLeftAlone() throws IOException {
        String id = id();
        Path hidden = folders.inbox().resolve("." + id + ".json");
        Path notes = folders.inbox().resolve(id + ".txt");
        Files.createDirectories(folders.inbox());
        Files.writeString(hidden, request(id + "-hidden", "301"));
        Files.writeString(notes, request(id + "-txt", "302"));
        // a file dropped after them is processed, so the folder has been scanned since
        folders.drop(id + "-marker.json", request(id + "-marker", "303"));

        await().atMost(WAIT).until(() -> Files.exists(folders.done(id + "-marker.json")));
        assertTrue(Files.exists(hidden));
        assertTrue(Files.exists(notes));
        assertEquals(List.of(id + "-marker"), folders.eventsForRequestIds(id).stream()
                .map(e -> e.at("/data/requestId").asText()).toList());
    }

    @Test
    void aSlowlyWrittenFileIsNotReadHalfWay() throws Exception {
        String id = id();
        Path file = folders.inbox().resolve(id + ".jsonl");
        Files.createDirectories(folders.inbox());
        int lines = 8;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 1; i <= lines; i++) {
                String line = request(id + "-" + i, Integer.toString(400 + i)) + "\n";
                byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                // each line in two halves, with pauses shorter than the time a file must stay unchanged
                out.write(bytes, 0, bytes.length / 2);
                out.flush();
                Thread.sleep(150);
                out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
                out.flush();
                Thread.sleep(150);
            }
        }
        await().atMost(WAIT).until(() -> Files.exists(folders.done(id + ".jsonl")));
        List<JsonNode> events = folders.eventsForRequestIds(id);
        assertEquals(lines, events.size());
        assertTrue(events.stream().allMatch(e -> e.get("type").asText().endsWith(".created")), events.toString());
    }

    /** A writer that pauses longer than a file must stay unchanged, mid-document: the file waits for the rest. */
    @Test
    void aJsonArrayWhoseWriterPausesMidwayWaitsForTheRest() throws Exception {
        String id = id();
        Path file = folders.inbox().resolve(id + ".json");
        Files.createDirectories(folders.inbox());
        // one writer, its file open throughout (the bridge moves the file; the writer writes on into it)
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(("[" + request(id + "-1", "411") + ",\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(2000);
            out.write((request(id + "-2", "412") + "]\n").getBytes(StandardCharsets.UTF_8));
        }
        await().atMost(WAIT).until(() -> Files.exists(folders.done(id + ".json")));
        List<JsonNode> events = folders.eventsForRequestIds(id);
        assertEquals(2, events.size(), events.toString());
        assertTrue(events.stream().allMatch(e -> e.get("type").asText().endsWith(".created")), events.toString());
    }

    /**
     * A writer of JSON lines that pauses at a line's end, longer than a file must stay unchanged, and goes on while
     * the lines read so far are worked on: the lines written after the read are read too, not archived unread.
     */
    @Test
    void jsonLinesWrittenAfterTheFileWasReadAreReadToo() throws Exception {
        String id = id();
        Path file = folders.inbox().resolve(id + ".jsonl");
        Files.createDirectories(folders.inbox());
        // NCP answers the first line slowly, so the file is still being worked on when the writer goes on
        ncp.script("421", NcpFake.Reply.created().after(Duration.ofMillis(1500)));
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write((request(id + "-1", "421") + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            await().atMost(WAIT).until(() -> ncp.callsFor("421").size() == 1);
            out.write((request(id + "-2", "422") + "\n").getBytes(StandardCharsets.UTF_8));
        }
        await().atMost(WAIT).until(() -> folders.eventsForRequestIds(id).size() == 2);
        List<JsonNode> events = folders.eventsForRequestIds(id);
        assertTrue(events.stream().allMatch(e -> e.get("type").asText().endsWith(".created")), events.toString());
    }

    @Test
    void whileEventsCannotBePublishedTheFileWaitsAndNothingIsLost() throws Exception {
        String id = id();
        Path outbox = folders.outbox();
        Path parked = outbox.resolveSibling("outbox-parked-" + id);
        Files.createDirectories(outbox);
        Files.move(outbox, parked);
        // a plain file where the outbox should be: every write of an event fails
        Files.writeString(outbox, "not a folder");
        try {
            folders.drop(id + ".json", request(id, "601"));
            Thread.sleep(3000);
            assertTrue(folders.taken(id + ".json").isPresent(), "the file waits, taken in (in .work/)");
            assertFalse(Files.exists(folders.done(id + ".json")));
        } finally {
            Files.delete(outbox);
            Files.move(parked, outbox);
        }
        await().atMost(WAIT).until(() -> Files.exists(folders.done(id + ".json")));
        List<JsonNode> events = folders.eventsForRequestIds(id);
        assertEquals(1, events.size(), "published once the sink took it, and only once");
        assertTrue(events.get(0).get("type").asText().endsWith(".created"));
    }

    @Test
    void aSecondFileWithTheSameNameNeverReplacesTheFirst() throws IOException {
        String id = id();
        folders.drop(id + ".json", request(id + "-1", "501"));
        await().atMost(WAIT).until(() -> Files.exists(folders.done(id + ".json")));
        folders.drop(id + ".json", request(id + "-2", "502"));
        await().atMost(WAIT).until(() -> Files.exists(folders.done(id + "-1.json")));
        assertTrue(Files.readString(folders.done(id + ".json")).contains(id + "-1"));
        assertTrue(Files.readString(folders.done(id + "-1.json")).contains(id + "-2"));
        assertEquals(2, folders.eventsForRequestIds(id).size());
    }
}
