package io.github.ncpsnapshotbridge.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.idempotency.IdempotencyStore;
import io.github.ncpsnapshotbridge.testsupport.DropFolderResource;
import io.github.ncpsnapshotbridge.testsupport.DropFolders;
import io.github.ncpsnapshotbridge.testsupport.InjectDropFolders;
import io.github.ncpsnapshotbridge.testsupport.InjectNcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFakeResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A request orphaned by an owner that stopped, taken over while NCP cannot say whether that owner's create went out
 * (its list refused): nothing is decided and nothing is sent, and the create route is tried again from the claim until
 * NCP can say; then it is created once.
 */
@QuarkusTest
@QuarkusTestResource(NcpFakeResource.class)
@QuarkusTestResource(DropFolderResource.class)
class OrphanWhileNcpCannotSayTest {

    @InjectNcpFake
    NcpFake ncp;

    @InjectDropFolders
    DropFolders folders;

    @Inject
    IdempotencyStore store;

    @Test
    void anOrphanWaitsUntilNcpCanBeAskedAndIsThenCreatedOnce() throws Exception {
        String id = "orphan-" + UUID.randomUUID();
        String volume = NcpFake.randomVolume();
        ncp.refuseListsFor(volume);
        SnapshotRequest request = new SnapshotRequest(id, false, volume, "orphaned", null, "default");
        store.claim(id, "a-replica-that-stopped", Instant.now().minusSeconds(1), request.toJournal());

        Thread.sleep(3000);
        assertTrue(folders.eventsForRequestIds(id).isEmpty(), "nothing decided while NCP cannot say");
        List<NcpFake.Call> creates = ncp.callsFor(volume).stream().filter(NcpFake.Call::isCreate).toList();
        assertTrue(creates.isEmpty(), "nothing sent while NCP cannot say: " + creates);

        ncp.allowListsFor(volume);
        await().atMost(Duration.ofSeconds(30)).until(() -> folders.eventsForRequestIds(id).size() == 1);
        JsonNode event = folders.eventsForRequestIds(id).get(0);
        assertEquals("ncp.blockstorage.snapshot.created", event.path("type").asText(), event.toString());
        assertEquals(1, ncp.newSnapshotsOf(volume).size());
    }
}
