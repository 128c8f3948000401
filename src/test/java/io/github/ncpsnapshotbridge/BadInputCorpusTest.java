package io.github.ncpsnapshotbridge;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.testsupport.DropFolderResource;
import io.github.ncpsnapshotbridge.testsupport.DropFolders;
import io.github.ncpsnapshotbridge.testsupport.InjectDropFolders;
import io.github.ncpsnapshotbridge.testsupport.InjectNcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFakeResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every file of {@code src/test/resources/corpus/requests} (broken, truncated and mistyped JSON, wrong encodings,
 * control characters, deep nesting, ...) plus a 10 MB file goes through the drop folder; every NCP answer of
 * {@code corpus/ncp} (XML bombs, external entities, truncated and non-XML bodies) is served by the fake. Each must end
 * in clear {@code rejected} / {@code failed} events, every file must leave the inbox, and the process must stay live.
 */
@QuarkusTest
@QuarkusTestResource(NcpFakeResource.class)
@QuarkusTestResource(DropFolderResource.class)
class BadInputCorpusTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @InjectDropFolders
    DropFolders folders;

    @InjectNcpFake
    NcpFake ncp;

    private static Path corpus(String dir) throws URISyntaxException {
        return Path.of(BadInputCorpusTest.class.getResource("/corpus/" + dir).toURI());
    }

    private Set<String> eventIds() {
        return folders.events().stream().map(e -> e.get("id").asText()).collect(Collectors.toSet());
    }

    /** Drops one file and returns the events it caused, once it has left the inbox. */
    private List<JsonNode> dropAndCollect(String name, Path source) throws IOException {
        Set<String> before = eventIds();
        Path temp = folders.inbox().resolve("." + name + ".tmp");
        Files.createDirectories(folders.inbox());
        Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temp, folders.inbox().resolve(name), StandardCopyOption.ATOMIC_MOVE);
        // it leaves the inbox when taken in (to .work/), and .work/ when its events are out
        await().atMost(WAIT).until(() -> !Files.exists(folders.inbox().resolve(name)) && folders.taken(name).isEmpty());
        assertTrue(Files.exists(folders.done(name)) || Files.exists(folders.error(name)), name + " is kept in .done or .error");
        if (Files.exists(folders.error(name))) {
            assertTrue(Files.exists(folders.error(name + ".error.json")), name + " has its reason beside it");
        }
        return folders.events().stream().filter(e -> !before.contains(e.get("id").asText())).toList();
    }

    @Test
    void everyBadRequestFileIsRejectedClearlyAndLeavesTheInbox() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(corpus("requests"))) {
            files = list.sorted().toList();
        }
        assertTrue(files.size() >= 30, "the corpus has at least 30 cases");
        List<String> problems = new ArrayList<>();
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (Path file : files) {
            String name = run + "-" + file.getFileName();
            List<JsonNode> events = dropAndCollect(name, file);
            if (events.isEmpty()) {
                problems.add(file.getFileName() + ": no event");
            }
            for (JsonNode event : events) {
                if (!event.get("type").asText().equals("ncp.blockstorage.snapshot.rejected")) {
                    problems.add(file.getFileName() + ": " + event.get("type").asText());
                } else if (event.at("/data/errors/0/field").asText().isEmpty()
                        || event.at("/data/errors/0/message").asText().isEmpty()) {
                    problems.add(file.getFileName() + ": no field or cause named");
                }
            }
        }
        assertEquals(List.of(), problems);
        given().when().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void aTenMegabyteFileIsRefusedWholeUnreadWithTheLimitNamed() throws Exception {
        Path big = Files.createTempFile(Path.of("target"), "ten-mb-", ".json");
        try (OutputStream out = Files.newOutputStream(big)) {
            out.write("{\"blockStorageInstanceNo\":\"1\",\"blockStorageSnapshotDescription\":\"".getBytes(StandardCharsets.UTF_8));
            byte[] chunk = "0123456789abcdef".repeat(4096).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 160; i++) {
                out.write(chunk);
            }
            out.write("\"}".getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(Files.size(big) > 10_000_000);
        List<JsonNode> events = dropAndCollect("big-" + UUID.randomUUID() + ".json", big);
        assertEquals(1, events.size());
        JsonNode event = events.get(0);
        assertEquals("ncp.blockstorage.snapshot.rejected", event.get("type").asText());
        assertTrue(event.at("/data/errors/0/message").asText().contains("BRIDGE_INBOX_MAX_FILE_SIZE"), event.toString());
        assertEquals("", event.at("/data/raw").asText(), "refused unread: nothing of it is quoted");
        given().when().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void everyHostileNcpAnswerGivesAClearFailedEvent() throws Exception {
        List<Path> answers;
        try (Stream<Path> list = Files.list(corpus("ncp"))) {
            answers = list.sorted().toList();
        }
        List<String> problems = new ArrayList<>();
        for (Path answer : answers) {
            String volume = NcpFake.randomVolume();
            // hostile answers: whatever they claim, NCP made nothing (a look-up finds nothing)
            ncp.script(volume, NcpFake.Reply.xml(200, Files.readString(answer, StandardCharsets.UTF_8)).notMade());
            String requestId = "corpus-" + UUID.randomUUID();
            folders.drop(requestId + ".json", "{\"requestId\":\"" + requestId + "\",\"blockStorageInstanceNo\":\"" + volume + "\"}");
            await().atMost(WAIT).until(() -> folders.eventsForRequestIds(requestId).size() == 1);
            JsonNode event = folders.eventsForRequestIds(requestId).get(0);
            String category = event.at("/data/error/category").asText();
            String message = event.at("/data/error/returnMessage").asText();
            if (!"malformed-response".equals(category) || message.isBlank()) {
                problems.add(answer.getFileName() + ": " + event.get("type").asText() + " " + category + " " + message);
            }
            if (message.contains("root:") || message.contains("lollollol") || message.contains("\tat ")) {
                problems.add(answer.getFileName() + ": leaked content or a stack trace: " + message);
            }
            assertFalse(ncp.callsFor(volume).size() > 1, "a malformed success is never sent again");
        }
        assertEquals(List.of(), problems);
        given().when().get("/q/health/live").then().statusCode(200);
    }
}
