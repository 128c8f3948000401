package io.github.ncpsnapshotbridge.intake;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.testsupport.DropFolderResource;
import io.github.ncpsnapshotbridge.testsupport.DropFolders;
import io.github.ncpsnapshotbridge.testsupport.InjectDropFolders;
import io.github.ncpsnapshotbridge.testsupport.InjectNcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFakeResource;
import io.github.ncpsnapshotbridge.testsupport.Requests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What a careless or hostile user can drop: links to secrets, huge files, files of many requests, oversized fields.
 * Nothing secret comes out, nothing oversized reaches NCP, every entry ends in {@code .done/} or {@code .error/}, and
 * the process stays live.
 */
@QuarkusTest
@QuarkusTestResource(NcpFakeResource.class)
@QuarkusTestResource(DropFolderResource.class)
class HostileInboxTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @InjectDropFolders
    DropFolders folders;

    @InjectNcpFake
    NcpFake ncp;

    private static String log() throws Exception {
        Path log = Path.of("target", "quarkus-test.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private String everythingWritten() throws Exception {
        StringBuilder all = new StringBuilder();
        folders.events().forEach(e -> all.append(e).append('\n'));
        Path errors = folders.inbox().resolve(".error");
        if (Files.isDirectory(errors)) {
            try (var files = Files.list(errors)) {
                for (Path p : files.filter(p -> p.toString().endsWith(".error.json")).toList()) {
                    all.append(Files.readString(p));
                }
            }
        }
        return all.append(log()).toString();
    }

    /** The one rejected event whose first error says {@code message}. */
    private JsonNode rejectionSaying(String message) {
        List<JsonNode> events = folders.events(e -> e.get("type").asText().endsWith(".rejected")
                && e.at("/data/errors/0/message").asText().contains(message));
        assertEquals(1, events.size(), "rejected events saying " + message);
        return events.get(0);
    }

    @Test
    void aLinkToASecretIsNeverOpenedAndEndsInErrorAsALink() throws Exception {
        String secret = "sk-link-secret-" + UUID.randomUUID();
        Path outside = Files.createTempFile(Path.of("target"), "secret-key-", "");
        Files.writeString(outside, secret);
        String name = "key-" + UUID.randomUUID() + ".json";
        Files.createSymbolicLink(folders.inbox().resolve(name), outside.toAbsolutePath());

        Path moved = folders.inbox().resolve(".error").resolve(name);
        await().atMost(WAIT).until(() -> Files.isSymbolicLink(moved)
                && Files.exists(folders.inbox().resolve(".error").resolve(name + ".error.json")));
        assertTrue(Files.exists(folders.inbox().resolve(".error").resolve(name + ".error.json")), "a reason beside it");
        assertTrue(Files.readString(folders.inbox().resolve(".error").resolve(name + ".error.json")).contains("symbolic link"));
        assertEquals(secret, Files.readString(outside), "the target is untouched");
        assertFalse(everythingWritten().contains(secret), "the secret is in no event, reason file or log line");
    }

    /**
     * Issue 25, item 1: a regular file passed the listing, then a link to a secret was renamed over it while the read
     * lock waited for the file to be stable, and the read followed the link into a {@code rejected} event's raw.
     */
    @Test
    void aLinkSwappedInAfterTheFileWasListedIsNeverFollowed() throws Exception {
        String secret = "sk-swapped-secret-" + UUID.randomUUID();
        Path outside = Files.createTempFile(Path.of("target"), "swapped-key-", "");
        Files.writeString(outside, secret);
        for (int i = 0; i < 4; i++) {
            String name = "swap-" + i + "-" + UUID.randomUUID() + ".json";
            folders.drop(name, "{\"blockStorageInstanceNo\":\"" + NcpFake.randomVolume() + "\"}");
            Thread.sleep(150 + 50 * i); // listed by now, not yet stable (the test profile waits 500 ms)
            Path link = folders.inbox().resolve("." + name + ".link");
            Files.createSymbolicLink(link, outside.toAbsolutePath());
            Files.move(link, folders.inbox().resolve(name), StandardCopyOption.ATOMIC_MOVE);
            await().atMost(WAIT).until(() -> Files.isSymbolicLink(folders.error(name)) || Files.exists(folders.done(name)));
        }
        assertEquals(secret, Files.readString(outside), "the target is untouched");
        assertFalse(everythingWritten().contains(secret), "the secret is in no event, reason file or log line");
    }

    /** Issue 25, item 2: the first file's completion moved a second file of the same name to .done/ unread. */
    @Test
    void aFileDroppedAgainUnderTheSameNameWhileTheFirstIsWorkedOnIsReadToo() throws Exception {
        String name = "again-" + UUID.randomUUID() + ".json";
        String first = "again-1-" + UUID.randomUUID();
        String second = "again-2-" + UUID.randomUUID();
        String volume = NcpFake.randomVolume();
        ncp.answerDelay(Duration.ofSeconds(2));
        try {
            folders.drop(name, Requests.of(first, volume).json());
            // the first file is being worked on: its create is at NCP, which answers in 2 s
            await().atMost(WAIT).until(() -> !ncp.callsFor(volume).isEmpty());
            folders.drop(name, Requests.of(second, NcpFake.randomVolume()).json());
            await().atMost(WAIT).until(() -> folders.eventsForRequestIds(first).size() == 1
                    && folders.eventsForRequestIds(second).size() == 1);
        } finally {
            ncp.answerDelay(Duration.ZERO);
        }
        assertTrue(folders.eventsForRequestIds(second).get(0).get("type").asText().endsWith(".created"));
        await().atMost(WAIT).until(() -> Files.exists(folders.done(name))
                && Files.exists(folders.done(name.replace(".json", "-1.json"))));
    }

    /** Issue 25, item 10: a 250-byte name could not get its reason file beside it, and the file was published in a loop. */
    @Test
    void aNameTooLongToArchiveGetsAShortNameAndIsPublishedOnce() throws Exception {
        String marker = "long-" + UUID.randomUUID();
        String name = marker + "-" + "n".repeat(250 - marker.length() - 6) + ".json";
        assertEquals(250, name.length());
        Path temp = folders.inbox().resolve(".long.partial");
        Files.writeString(temp, "{\"broken\":\"" + marker);
        Files.move(temp, folders.inbox().resolve(name), StandardCopyOption.ATOMIC_MOVE);
        await().atMost(WAIT).until(() -> !folders.rejectedContaining(marker).isEmpty());
        Path errors = folders.inbox().resolve(".error");
        await().atMost(WAIT).until(() -> {
            try (var files = Files.list(errors)) {
                return files.filter(p -> p.getFileName().toString().endsWith(".error.json"))
                        .anyMatch(p -> Files.isRegularFile(p) && folders.readText(p).contains(name));
            }
        });
        Thread.sleep(2000);
        assertEquals(1, folders.rejectedContaining(marker).size(), "published once");
        assertFalse(Files.exists(folders.inbox().resolve(name)), "not left in the inbox");
    }

    @Test
    void aNameThatIsNotUtf8IsRefusedWithAnEventAndStallsNothing() throws Exception {
        String id = "latin1-" + UUID.randomUUID();
        String stem = "caf-" + id.substring(id.length() - 8);
        // the name's bytes as a Latin-1 system writes them ("café"): not valid UTF-8, and no Java string names them
        Path temp = folders.inbox().resolve(".latin1.partial");
        Files.writeString(temp, Requests.of(id + "-a", "630001").json());
        Process mv = new ProcessBuilder("bash", "-c", "mv \"$0\" \"$1/" + stem + "$(printf '\\351').json\"",
                temp.toString(), folders.inbox().toString()).inheritIO().start();
        assertEquals(0, mv.waitFor());
        folders.drop(id + "-plain.json", Requests.of(id + "-b", "630002").json());

        await().atMost(WAIT).until(() -> !folders.eventsForRequestIds(id + "-b").isEmpty());
        await().atMost(WAIT).until(() -> Files.exists(folders.error(stem + "%E9.json")));
        Thread.sleep(2000);
        JsonNode refused = rejectionSaying(stem + "%E9.json");
        assertTrue(refused.at("/data/errors/0/message").asText().contains("cannot be decoded"), refused.toString());
        assertTrue(ncp.callsFor("630001").isEmpty(), "a file refused for its name is not read");
        try (var left = Files.list(folders.inbox())) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(stem)), "nothing left in the inbox");
        }
    }

    @Test
    void aLinkToTheProcessEnvironmentIsNeverOpened() throws Exception {
        String name = "environ-" + UUID.randomUUID() + ".json";
        Files.createSymbolicLink(folders.inbox().resolve(name), Path.of("/proc/self/environ"));
        await().atMost(WAIT).until(() -> Files.isSymbolicLink(folders.inbox().resolve(".error").resolve(name))
                && Files.exists(folders.inbox().resolve(".error").resolve(name + ".error.json")));
        String written = everythingWritten();
        // the test JVM's (and so the bridge's) environment holds PATH
        assertFalse(written.contains("PATH="), "nothing of the environment was read");
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedUnreadAndNothingReachesNcp() throws Exception {
        String volume = NcpFake.randomVolume();
        String name = "big-" + UUID.randomUUID() + ".jsonl";
        Path temp = folders.inbox().resolve("." + name + ".tmp");
        byte[] line = ("{\"blockStorageInstanceNo\":\"" + volume + "\"}\n").getBytes(StandardCharsets.UTF_8);
        try (var out = Files.newOutputStream(temp)) {
            for (int written = 0; written < 2 * 1024 * 1024; written += line.length) {
                out.write(line);
            }
        }
        Files.move(temp, folders.inbox().resolve(name), StandardCopyOption.ATOMIC_MOVE);
        await().atMost(WAIT).until(() -> Files.exists(folders.error(name)));
        JsonNode event = rejectionSaying("file too large: " + Files.size(folders.error(name)) + " bytes");
        assertTrue(event.at("/data/errors/0/message").asText().contains("BRIDGE_INBOX_MAX_FILE_SIZE"), event.toString());
        assertEquals("", event.at("/data/raw").asText(), "refused unread");
        assertTrue(ncp.callsFor(volume).isEmpty(), "nothing of an oversized file reaches NCP");
        given().when().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void aFileOfTwentyThousandRequestsIsRefusedWholeWithTheLimitNamed() throws Exception {
        String volume = NcpFake.randomVolume();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            lines.append("{\"blockStorageInstanceNo\":\"").append(volume).append("\"}\n");
        }
        String name = "many-" + UUID.randomUUID() + ".jsonl";
        folders.drop(name, lines.toString());
        await().atMost(WAIT).until(() -> Files.exists(folders.error(name)));
        JsonNode event = rejectionSaying("too many requests: 20000");
        assertTrue(event.at("/data/errors/0/message").asText().contains("BRIDGE_INBOX_MAX_REQUESTS_PER_FILE"), event.toString());
        assertTrue(ncp.callsFor(volume).isEmpty(), "none of its requests reaches NCP");
    }

    @Test
    void aFortyDigitVolumeAndAHundredKilobyteFieldAreRejectedWithTheFieldNamed() throws Exception {
        String id = "huge-" + UUID.randomUUID();
        String forty = "1234567890".repeat(4);
        String description = "x".repeat(100_000);
        folders.drop(id + ".jsonl", "{\"requestId\":\"" + id + "-1\",\"blockStorageInstanceNo\":\"" + forty + "\"}\n"
                + "{\"requestId\":\"" + id + "-2\",\"blockStorageInstanceNo\":\"1\",\"blockStorageSnapshotDescription\":\""
                + description + "\"}\n");
        await().atMost(WAIT).until(() -> folders.eventsForRequestIds(id).size() == 2);
        for (JsonNode event : folders.eventsForRequestIds(id)) {
            assertEquals("ncp.blockstorage.snapshot.rejected", event.get("type").asText());
            assertTrue(event.toString().length() < 80_000, "the event quotes a bounded part of the input");
        }
        JsonNode volumeEvent = folders.eventsForRequestIds(id + "-1").get(0);
        assertEquals("blockStorageInstanceNo", volumeEvent.at("/data/errors/0/field").asText());
        assertTrue(volumeEvent.at("/data/errors/0/message").asText().contains("at most 19 digits"));
        assertTrue(ncp.calls().stream().noneMatch(c -> c.rawTarget().contains(forty)), "nothing oversized reaches NCP");
    }
}
