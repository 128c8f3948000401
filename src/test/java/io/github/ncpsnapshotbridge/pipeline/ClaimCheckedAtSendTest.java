package io.github.ncpsnapshotbridge.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.idempotency.ClaimResult;
import io.github.ncpsnapshotbridge.idempotency.IdempotencyStore;
import io.github.ncpsnapshotbridge.idempotency.RequestRecord;
import io.github.ncpsnapshotbridge.ncp.NcpGate;
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
 * Issue 25, item 3, through the create route: an owner that stops renewing (a paused process) while its create waits at
 * the gate, and whose request another replica takes over meanwhile, sends nothing once the gate lets the create through:
 * the claim is checked again right before the bytes leave. Test lease: 4 s.
 */
@QuarkusTest
@QuarkusTestResource(NcpFakeResource.class)
@QuarkusTestResource(DropFolderResource.class)
class ClaimCheckedAtSendTest {

    @InjectDropFolders
    DropFolders folders;

    @InjectNcpFake
    NcpFake ncp;

    @Inject
    CamelContext camel;

    @Inject
    NcpGate gate;

    @Inject
    IdempotencyStore store;

    @Test
    void aCreateWhoseClaimWasTakenOverWhileItWaitedAtTheGateIsNotSent() throws Exception {
        String id = "paused-" + UUID.randomUUID();
        String volume = NcpFake.randomVolume();
        camel.getRouteController().suspendRoute("claim-renewal");
        try {
            gate.throttled(Duration.ofSeconds(8));
            folders.drop(id + ".json", Requests.of(id, volume).json());
            await().atMost(Duration.ofSeconds(5)).until(() -> gate.waiting() > 0);

            // the lease runs out; another replica takes the request over and finishes it
            RequestRecord ours = await().atMost(Duration.ofSeconds(10)).until(() -> store.inFlight().stream()
                    .filter(r -> r.requestId().equals(id) && r.leaseUntil().isBefore(Instant.now()))
                    .findFirst().orElse(null), r -> r != null);
            ClaimResult other = store.claim(id, "other-replica", Instant.now().plusSeconds(30), ours.payload());
            assertEquals(ClaimResult.Kind.TAKEN_OVER, other.kind());

            // the gate lets the create through: nothing leaves
            await().atMost(Duration.ofSeconds(10)).until(() -> gate.waiting() == 0);
            Thread.sleep(500);
            List<NcpFake.Call> creates = ncp.callsFor(volume).stream().filter(NcpFake.Call::isCreate).toList();
            assertTrue(creates.isEmpty(), "a create left with the claim another replica held: " + creates);

            store.done(id, "other-replica", EventType.CREATED.outcome());
            await().atMost(Duration.ofSeconds(10)).until(() -> folders.eventsForRequestIds(id).size() == 1);
            JsonNode event = folders.eventsForRequestIds(id).get(0);
            assertEquals("ncp.blockstorage.snapshot.duplicate", event.get("type").asText(), event.toString());
        } finally {
            camel.getRouteController().resumeRoute("claim-renewal");
        }
    }
}
