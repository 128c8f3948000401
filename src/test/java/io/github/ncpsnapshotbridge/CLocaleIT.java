package io.github.ncpsnapshotbridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.testsupport.AppProcess;
import io.github.ncpsnapshotbridge.testsupport.BridgeJar;
import io.github.ncpsnapshotbridge.testsupport.DropFolders;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;
import io.github.ncpsnapshotbridge.testsupport.Requests;

/**
 * The packaged jar under a C locale (no UTF-8 for file names, as in a bare container without {@code LANG}): a
 * non-ASCII name used to fail every poll, so no file of the folder was read. Now that file is refused with an event,
 * and the others are read.
 */
class CLocaleIT {

    @Test
    void aNonAsciiNameUnderACLocaleIsRefusedAndTheRestOfTheFolderIsRead() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "test-runs", "c-locale-" + UUID.randomUUID())).toAbsolutePath();
        DropFolders folders = new DropFolders(work.resolve("data/inbox"), work.resolve("data/outbox"));
        String id = "c-locale-" + UUID.randomUUID();
        try (NcpFake ncp = new NcpFake()) {
            BridgeJar jar = BridgeJar.against(ncp, "AKCLOCALE").with("LANG", "C").with("LC_ALL", "C")
                    .with("BRIDGE_INBOX_STABLE_FOR", "200ms");
            Path temp = Files.createDirectories(folders.inbox()).resolve(".cafe.partial");
            Files.writeString(temp, Requests.of(id + "-cafe", "640001").json());
            // "café.json" in UTF-8 bytes, named by the shell: the test's own JVM may not be able to name it either
            Process mv = new ProcessBuilder("bash", "-c", "mv \"$0\" \"$1/caf$(printf '\\303\\251').json\"",
                    temp.toString(), folders.inbox().toString()).inheritIO().start();
            assertEquals(0, mv.waitFor());
            folders.drop("plain.json", Requests.of(id + "-plain", "640002").json());

            try (AppProcess app = jar.start(work)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> !folders.eventsForRequestIds(id + "-plain").isEmpty());
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(folders.error("caf%C3%A9.json")));
                List<JsonNode> refused = folders.events(e -> e.get("type").asText().endsWith(".rejected")
                        && e.at("/data/errors/0/message").asText().contains("caf%C3%A9.json"));
                assertEquals(1, refused.size(), "one rejected event for the file whose name cannot be decoded");
                assertTrue(ncp.callsFor("640001").isEmpty(), "the refused file was not read");
                assertEquals("created", folders.eventsForRequestIds(id + "-plain").get(0).get("type").asText()
                        .replace("ncp.blockstorage.snapshot.", ""));
            }
        }
    }
}
