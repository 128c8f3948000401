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
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.testsupport.DropFolderResource;
import io.github.ncpsnapshotbridge.testsupport.DropFolders;
import io.github.ncpsnapshotbridge.testsupport.InjectDropFolders;
import io.github.ncpsnapshotbridge.testsupport.InjectNcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFakeResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Runs every kind of outcome (created, refused by the gateway, unknown account, rejected), with DEBUG logging of the
 * bridge on, then searches the whole log of the run and every event for the secret keys.
 */
@QuarkusTest
@QuarkusTestResource(NcpFakeResource.class)
@QuarkusTestResource(DropFolderResource.class)
class SecretHygieneTest {

    @InjectNcpFake
    NcpFake ncp;

    @InjectDropFolders
    DropFolders folders;

    @Test
    void noSecretInAnyLogLineOrEvent() throws IOException {
        String id = "secret-" + UUID.randomUUID();
        ncp.script("777001", NcpFake.Reply.json(401, "{\"error\":{\"errorCode\":\"200\",\"message\":\"Authentication Failed\"}}"));
        folders.drop(id + ".json", "[{\"requestId\":\"" + id + "-ok\",\"blockStorageInstanceNo\":\"777000\"},"
                + "{\"requestId\":\"" + id + "-refused\",\"blockStorageInstanceNo\":\"777001\"},"
                + "{\"requestId\":\"" + id + "-team\",\"blockStorageInstanceNo\":\"777002\",\"account\":\"team-b\"},"
                + "{\"requestId\":\"" + id + "-nobody\",\"blockStorageInstanceNo\":\"777003\",\"account\":\"nobody\"},"
                + "{\"requestId\":\"" + id + "-bad\",\"blockStorageInstanceNo\":\"x\"}]");
        await().atMost(Duration.ofSeconds(20)).until(() -> folders.eventsForRequestIds(id).size() == 5);

        Path log = Path.of("target", "quarkus-test.log");
        assertTrue(Files.exists(log), "the test profile logs to " + log);
        String logText = Files.readString(log);
        assertTrue(logText.contains(id + "-ok"), "the log does record this run's outcomes");
        String events = folders.events().toString();
        for (String secret : List.of(NcpFakeResource.DEFAULT_SECRET, NcpFakeResource.TEAM_B_SECRET)) {
            assertFalse(logText.contains(secret), "a secret key appears in the log");
            assertFalse(events.contains(secret), "a secret key appears in an event");
        }
        assertEquals(5, folders.eventsForRequestIds(id).size());
    }
}
