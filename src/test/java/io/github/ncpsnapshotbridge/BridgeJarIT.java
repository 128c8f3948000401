package io.github.ncpsnapshotbridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.testsupport.DropFolderResource;
import io.github.ncpsnapshotbridge.testsupport.DropFolders;
import io.github.ncpsnapshotbridge.testsupport.InjectDropFolders;
import io.github.ncpsnapshotbridge.testsupport.InjectNcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFakeResource;
import io.github.ncpsnapshotbridge.ncp.SnapshotMarker;
import io.github.ncpsnapshotbridge.testsupport.NcpPageExample;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The packaged jar, prod profile, configured only from outside (as the test resources' settings), against the NCP
 * fake answering with the NCP page's own example.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(NcpFakeResource.class)
@QuarkusTestResource(DropFolderResource.class)
class BridgeJarIT {

    @InjectNcpFake
    NcpFake ncp;

    @InjectDropFolders
    DropFolders folders;

    @Test
    void theNcpPageExampleBecomesACreatedEventWithEverySnapshotField() throws IOException {
        ncp.script("937508", NcpFake.Reply.xml(200, NcpFake.exampleAnswer()));
        folders.drop("db01.json", """
                {"requestId":"db01-nightly-2026-11-27","blockStorageInstanceNo":"937508",
                 "blockStorageSnapshotName":"db01-nightly",
                 "blockStorageSnapshotDescription":"nightly backup of the db01 data volume","account":"default"}""");

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(folders.done("db01.json")));
        List<JsonNode> events = folders.eventsForRequestIds("db01-nightly-2026-11-27");
        assertEquals(1, events.size());
        JsonNode event = events.get(0);
        assertEquals("ncp.blockstorage.snapshot.created", event.get("type").asText());
        assertEquals("937508", event.get("subject").asText());

        NcpFake.Call call = ncp.callsFor("937508").get(0);
        assertTrue(call.signatureValid());
        assertEquals("/server/v2/createBlockStorageSnapshotInstance?blockStorageInstanceNo=937508"
                + "&blockStorageSnapshotName=db01-nightly"
                + "&blockStorageSnapshotDescription=nightly%20backup%20of%20the%20db01%20data%20volume%20"
                + SnapshotMarker.of("db01-nightly-2026-11-27").replace("[", "%5B").replace(":", "%3A").replace("]", "%5D"),
                call.rawTarget(), "the user's description, then the request's marker");

        NcpPageExample.assertSnapshotOfTheExample(event.at("/data/snapshot"));
        assertEquals("27d8566c-c085-47d7-9535-d58ccd6dcdc5", event.at("/data/ncp/requestId").asText());
    }

    @Test
    void thePackagedAppNeverLogsTheSecret() throws IOException {
        folders.drop("quiet.json", "{\"requestId\":\"jar-quiet\",\"blockStorageInstanceNo\":\"12\",\"account\":\"nobody\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> folders.eventsForRequestIds("jar-quiet").size() == 1);
        // @QuarkusIntegrationTest captures the jar's console output in a quarkus*.log file under target/
        await().atMost(Duration.ofSeconds(5)).until(() -> !capturedLogs().isEmpty());
        for (Path log : capturedLogs()) {
            String text = Files.readString(log);
            assertFalse(text.contains(NcpFakeResource.DEFAULT_SECRET), "secret in " + log);
            assertFalse(text.contains(NcpFakeResource.TEAM_B_SECRET), "secret in " + log);
        }
    }

    /** The log files that hold this run's output. */
    private static List<Path> capturedLogs() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("quarkus"))
                    .filter(p -> p.getFileName().toString().contains(".log"))
                    .filter(p -> {
                        try {
                            return Files.readString(p).contains("jar-quiet");
                        } catch (IOException e) {
                            return false;
                        }
                    }).toList();
        }
    }
}
