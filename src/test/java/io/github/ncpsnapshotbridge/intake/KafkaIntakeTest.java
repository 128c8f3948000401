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
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.ncpsnapshotbridge.testsupport.DropFolderResource;
import io.github.ncpsnapshotbridge.testsupport.InjectKafkaBroker;
import io.github.ncpsnapshotbridge.testsupport.InjectNcpFake;
import io.github.ncpsnapshotbridge.testsupport.KafkaBroker;
import io.github.ncpsnapshotbridge.testsupport.KafkaBrokerResource;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFakeResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Requests from a real (in-JVM) Kafka broker, events back to it, offsets committed only after publishing. */
@QuarkusTest
@QuarkusTestResource(NcpFakeResource.class)
@QuarkusTestResource(DropFolderResource.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class KafkaIntakeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectKafkaBroker
    KafkaBroker kafka;

    @InjectNcpFake
    NcpFake ncp;

    private void produce(String value) throws Exception {
        kafka.produce(KafkaBrokerResource.REQUESTS, null, value.getBytes(StandardCharsets.UTF_8));
    }

    private List<ConsumerRecord<String, String>> eventsWithKeyPrefix(String prefix, int expected) {
        return kafka.readAll(KafkaBrokerResource.EVENTS, Integer.MAX_VALUE, Duration.ofSeconds(3)).stream()
                .filter(r -> r.key() != null && r.key().startsWith(prefix)).toList();
    }

    private static String type(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value()).get("type").asText().replace("ncp.blockstorage.snapshot.", "");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void nRequestsGiveNEventsKeyedByRequestIdAndAPoisonRecordBlocksNothing() throws Exception {
        String id = "k-" + UUID.randomUUID();
        ncp.script("600400", NcpFake.Reply.xml(400, "<responseError><returnCode>24</returnCode>"
                + "<returnMessage>not found</returnMessage></responseError>"));
        produce("{\"requestId\":\"" + id + "-1\",\"blockStorageInstanceNo\":\"600001\"}");
        produce("{\"requestId\":\"" + id + "-2\",\"blockStorageInstanceNo\":\"60000x\"}");
        kafka.produce(KafkaBrokerResource.REQUESTS, null, new byte[] {'{', (byte) 0xff, '}'});
        produce("this is { not json " + id);
        produce("{\"requestId\":\"" + id + "-3\",\"blockStorageInstanceNo\":\"600400\"}");
        produce("[{\"requestId\":\"" + id + "-4\",\"blockStorageInstanceNo\":600004},"
                + "{\"requestId\":\"" + id + "-5\",\"blockStorageInstanceNo\":\"600005\",\"blockStorageSnapshotName\":\"ab\"}]");
        produce("{\"requestId\":\"" + id + "-6\",\"blockStorageInstanceNo\":\"600006\"}");

        await().atMost(Duration.ofSeconds(30)).until(() -> eventsWithKeyPrefix(id, 6).size() == 6);
        Map<String, String> typeByKey = eventsWithKeyPrefix(id, 6).stream()
                .collect(Collectors.toMap(ConsumerRecord::key, KafkaIntakeTest::type));
        assertEquals(Map.of(id + "-1", "created", id + "-2", "rejected", id + "-3", "failed", id + "-4", "created",
                id + "-5", "rejected", id + "-6", "created"), typeByKey);

        // the two unreadable records got rejected events too, keyed by their place in the log
        List<ConsumerRecord<String, String>> all = kafka.readAll(KafkaBrokerResource.EVENTS, Integer.MAX_VALUE,
                Duration.ofSeconds(3));
        List<ConsumerRecord<String, String>> poison = all.stream()
                .filter(r -> r.key() != null && r.key().startsWith("kafka:" + KafkaBrokerResource.REQUESTS + "/")).toList();
        assertEquals(2, poison.size(), "one rejected event for each record that could not be read");
        assertTrue(poison.stream().allMatch(r -> type(r).equals("rejected")));
        assertTrue(poison.stream().anyMatch(r -> r.value().contains("not UTF-8")));

        ConsumerRecord<String, String> created = eventsWithKeyPrefix(id + "-1", 1).get(0);
        assertEquals("application/cloudevents+json",
                new String(created.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8));
        JsonNode event = JSON.readTree(created.value());
        assertEquals("600001", event.get("subject").asText());
        assertEquals("1.0", event.get("specversion").asText());
        assertEquals(1, ncp.callsFor("600001").size());
    }

    @Test
    void aRejectedEventTheTopicRefusesAsTooLargeIsPublishedSmallAndThePartitionMovesOn() throws Exception {
        String id = "big-" + UUID.randomUUID();
        StringBuilder unknown = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            unknown.append(",\"unknownFieldWithALongName").append(i).append("\":").append(i);
        }
        ConfigResource events = new ConfigResource(ConfigResource.Type.TOPIC, KafkaBrokerResource.EVENTS);
        try (Admin admin = kafka.admin()) {
            setMaxMessageBytes(admin, events, "3000");
            try {
                // one key: both requests on one partition, the second behind the first
                kafka.produce(KafkaBrokerResource.REQUESTS, id, ("{\"requestId\":\"" + id + "-1\","
                        + "\"blockStorageInstanceNo\":\"620001\"" + unknown + "}").getBytes(StandardCharsets.UTF_8));
                kafka.produce(KafkaBrokerResource.REQUESTS, id, ("{\"requestId\":\"" + id + "-2\","
                        + "\"blockStorageInstanceNo\":\"620002\"}").getBytes(StandardCharsets.UTF_8));
                await().atMost(Duration.ofSeconds(30)).until(() -> eventsWithKeyPrefix(id, 2).size() == 2);
            } finally {
                setMaxMessageBytes(admin, events, null);
            }
        }
        Map<String, ConsumerRecord<String, String>> byKey = eventsWithKeyPrefix(id, 2).stream()
                .collect(Collectors.toMap(ConsumerRecord::key, r -> r));
        JsonNode rejected = JSON.readTree(byKey.get(id + "-1").value());
        assertEquals("ncp.blockstorage.snapshot.rejected", rejected.get("type").asText());
        assertEquals(id + "-1", rejected.at("/data/requestId").asText());
        String message = rejected.at("/data/errors/0/message").asText();
        assertTrue(message.contains("more than the events sink takes") && message.contains("unknownFieldWithALongName0"),
                message);
        assertEquals("created", type(byKey.get(id + "-2")));
    }

    private static void setMaxMessageBytes(Admin admin, ConfigResource topic, String value) throws Exception {
        AlterConfigOp op = value == null
                ? new AlterConfigOp(new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE)
                : new AlterConfigOp(new ConfigEntry("max.message.bytes", value), AlterConfigOp.OpType.SET);
        admin.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get();
    }

    @Test
    void theGroupsCommittedOffsetsReachTheLogEnd() throws Exception {
        // records of its own, so that it does not depend on another test having run first
        String id = "commit-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            produce("{\"requestId\":\"" + id + "-" + i + "\",\"blockStorageInstanceNo\":\"61000" + i + "\"}");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> eventsWithKeyPrefix(id, 3).size() == 3);
        try (Admin admin = kafka.admin()) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin
                        .listConsumerGroupOffsets("ncp-snapshot-bridge").partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = List.of(0, 1, 2).stream().collect(Collectors.toMap(
                        p -> new TopicPartition(KafkaBrokerResource.REQUESTS, p), p -> OffsetSpec.latest()));
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
                long records = 0;
                for (TopicPartition tp : latest.keySet()) {
                    long end = ends.get(tp).offset();
                    records += end;
                    // a partition that never got a record has nothing to commit
                    long done = committed.containsKey(tp) ? committed.get(tp).offset() : 0;
                    assertEquals(end, done, "lag on " + tp);
                }
                assertTrue(records >= 3, "this test's records are all counted");
            });
        }
    }

    @Test
    void readinessFollowsTheBroker() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        kafka.stop();
        try {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().when().get("/q/health/ready").then()
                    .statusCode(503).body("status", equalTo("DOWN")));
        } finally {
            kafka.start();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get("/q/health/ready").then()
                .statusCode(200).body("status", equalTo("UP")));
    }
}
