package io.github.ncpsnapshotbridge.intake;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.testsupport.ArtemisBroker;
import io.github.ncpsnapshotbridge.testsupport.Requests;
import io.github.ncpsnapshotbridge.testsupport.ArtemisBroker.Received;
import io.github.ncpsnapshotbridge.testsupport.ArtemisBrokerResource;
import io.github.ncpsnapshotbridge.testsupport.DropFolderResource;
import io.github.ncpsnapshotbridge.testsupport.InjectArtemisBroker;
import io.github.ncpsnapshotbridge.testsupport.InjectNcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFakeResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** Requests from a queue of a real (embedded) Artemis broker over AMQP 1.0, events back to an AMQP address. */
@QuarkusTest
@QuarkusTestResource(NcpFakeResource.class)
@QuarkusTestResource(DropFolderResource.class)
@QuarkusTestResource(value = ArtemisBrokerResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "sink", value = "amqp"))
class AmqpIntakeTest {

    /** Events taken off the events queue so far; each test picks its own by requestId. */
    private static final List<Received> EVENTS = new CopyOnWriteArrayList<>();

    @InjectArtemisBroker
    ArtemisBroker artemis;

    @InjectNcpFake
    NcpFake ncp;

    private List<Received> events(String requestIdPrefix) throws Exception {
        EVENTS.addAll(artemis.drain(ArtemisBrokerResource.EVENTS, 200));
        return EVENTS.stream().filter(e -> String.valueOf(e.properties().get("requestId")).startsWith(requestIdPrefix))
                .toList();
    }

    private void send(String requestId, String volume) throws Exception {
        artemis.sendText(ArtemisBrokerResource.REQUESTS,
                Requests.of(requestId, volume).json());
    }

    @Test
    void aConsumerHoldsOneMessageUnsettledSoOtherReplicasGetTheRest() throws Exception {
        String id = "prefetch-" + UUID.randomUUID();
        String slow = NcpFake.randomVolume();
        ncp.script(slow, NcpFake.Reply.created().after(Duration.ofMillis(1500)));
        send(id + "-0", slow);
        await().atMost(Duration.ofSeconds(20)).until(() -> !ncp.callsFor(slow).isEmpty());
        for (int i = 1; i <= 5; i++) {
            send(id + "-" + i, NcpFake.randomVolume());
        }
        // while the first is in progress the others wait in the broker, where another replica could take them
        Thread.sleep(300);
        // prefetch 1: the message in work and at most one credit's worth beside it
        long delivering = artemis.deliveringCount(ArtemisBrokerResource.REQUESTS);
        assertTrue(delivering <= 2, delivering + " messages held by the consumer");
        assertTrue(artemis.messageCount(ArtemisBrokerResource.REQUESTS) - delivering >= 4, "the rest still in the queue");
        await().atMost(Duration.ofSeconds(30)).until(() -> events(id).size() == 6);
    }

    @Test
    void nRequestsGiveNPersistentCloudEventsWithTheirProperties() throws Exception {
        String id = "amqp-" + UUID.randomUUID();
        for (int i = 1; i <= 5; i++) {
            send(id + "-" + i, Integer.toString(710_000 + i));
        }
        artemis.send(ArtemisBrokerResource.REQUESTS, s -> {
            var bytes = s.createBytesMessage();
            bytes.writeBytes(("[{\"requestId\":\"" + id + "-6\",\"blockStorageInstanceNo\":\"710006\"},"
                    + "{\"requestId\":\"" + id + "-7\",\"blockStorageInstanceNo\":\"71000x\"}]").getBytes(StandardCharsets.UTF_8));
            return bytes;
        });

        await().atMost(Duration.ofSeconds(30)).until(() -> events(id).size() == 7);
        Map<Object, Object> types = events(id).stream()
                .collect(Collectors.toMap(e -> e.properties().get("requestId"), e -> e.properties().get("type")));
        assertEquals(7, types.size());
        assertEquals("ncp.blockstorage.snapshot.rejected", types.get(id + "-7"));
        assertEquals("ncp.blockstorage.snapshot.created", types.get(id + "-6"));
        for (Received event : events(id)) {
            assertEquals("application/cloudevents+json", event.contentType());
            assertTrue(event.persistent());
            assertTrue(event.body().contains("\"specversion\":\"1.0\""));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> artemis.messageCount(ArtemisBrokerResource.REQUESTS) == 0);
    }

    @Test
    void poisonMessagesAreRejectedOnceAndTheQueueDrains() throws Exception {
        String marker = "poison-" + UUID.randomUUID();
        artemis.sendText(ArtemisBrokerResource.REQUESTS, "not json " + marker);
        artemis.send(ArtemisBrokerResource.REQUESTS, s -> {
            var bytes = s.createBytesMessage();
            bytes.writeBytes(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
            bytes.setStringProperty("marker", marker);
            return bytes;
        });
        artemis.send(ArtemisBrokerResource.REQUESTS, s -> {
            var map = s.createMapMessage();
            map.setString("blockStorageInstanceNo", "1");
            return map;
        });
        artemis.sendText(ArtemisBrokerResource.REQUESTS,
                "{\"blockStorageInstanceNo\":\"1\",\"blockStorageSnapshotDescription\":\"" + "x".repeat(70_000) + "\"}");
        String after = "amqp-after-" + UUID.randomUUID();
        send(after, "720001");

        await().atMost(Duration.ofSeconds(30)).until(() -> events(after).size() == 1);
        List<String> rejectedReasons = EVENTS.stream()
                .filter(e -> "ncp.blockstorage.snapshot.rejected".equals(e.properties().get("type")))
                .map(Received::body).toList();
        assertTrue(rejectedReasons.stream().anyMatch(b -> b.contains(marker) && b.contains("not valid JSON")));
        assertTrue(rejectedReasons.stream().anyMatch(b -> b.contains("not UTF-8")));
        assertTrue(rejectedReasons.stream().anyMatch(b -> b.contains("unexpected message type")));
        assertTrue(rejectedReasons.stream().anyMatch(b -> b.contains("message too large")));
        assertEquals(0, artemis.messageCount(ArtemisBrokerResource.REQUESTS), "nothing left, nothing redelivered");
        Thread.sleep(1500);
        assertEquals(1, EVENTS.stream().filter(e -> e.body().contains(marker) && e.body().contains("not valid JSON")).count()
                + artemis.drain(ArtemisBrokerResource.EVENTS, 200).stream().filter(e -> e.body().contains(marker)).count(),
                "rejected once, never redelivered");
    }

    @Test
    void aBrokerRestartInTheMiddleOfABatchLosesNothing() throws Exception {
        String id = "amqp-restart-" + UUID.randomUUID();
        int n = 10;
        for (int i = 1; i <= n; i++) {
            ncp.script(Integer.toString(730_000 + i), NcpFake.Reply.xml(200, NcpFake.exampleAnswer()
                    .replace("937508", Integer.toString(730_000 + i))).after(Duration.ofMillis(300)));
            send(id + "-" + i, Integer.toString(730_000 + i));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> events(id).size() >= 3);
        given().when().get("/q/health/ready").then().statusCode(200);
        artemis.stop();
        try {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().when().get("/q/health/ready").then()
                    .statusCode(503).body("checks.find { it.name == 'amqp' }.status", equalTo("DOWN")));
            Thread.sleep(1000);
        } finally {
            artemis.start();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> events(id).stream()
                .map(e -> e.properties().get("requestId")).distinct().count() == n);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/q/health/ready").then()
                .statusCode(200));
        await().atMost(Duration.ofSeconds(10)).until(() -> artemis.messageCount(ArtemisBrokerResource.REQUESTS) == 0);
        for (int i = 1; i <= n; i++) {
            String requestId = id + "-" + i;
            assertTrue(events(requestId).stream().anyMatch(e -> "ncp.blockstorage.snapshot.created"
                    .equals(e.properties().get("type")) && e.properties().get("requestId").equals(requestId)));
            assertEquals(1, ncp.callsFor(Integer.toString(730_000 + i)).size(), "no second snapshot of volume " + i);
        }
    }
}
