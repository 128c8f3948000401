package io.github.ncpsnapshotbridge.intake;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.testsupport.ArtemisBroker;
import io.github.ncpsnapshotbridge.testsupport.ArtemisBrokerResource;
import io.github.ncpsnapshotbridge.testsupport.DropFolderResource;
import io.github.ncpsnapshotbridge.testsupport.InjectArtemisBroker;
import io.github.ncpsnapshotbridge.testsupport.InjectKafkaBroker;
import io.github.ncpsnapshotbridge.testsupport.KafkaBroker;
import io.github.ncpsnapshotbridge.testsupport.KafkaBrokerResource;
import io.github.ncpsnapshotbridge.testsupport.NcpFakeResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A mixed set-up: requests over AMQP 1.0 (Artemis), events to Kafka. */
@QuarkusTest
@QuarkusTestResource(NcpFakeResource.class)
@QuarkusTestResource(DropFolderResource.class)
@QuarkusTestResource(value = ArtemisBrokerResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class AmqpToKafkaTest {

    @InjectArtemisBroker
    ArtemisBroker artemis;

    @InjectKafkaBroker
    KafkaBroker kafka;

    @Test
    void requestsOverAmqpGiveEventsOnKafka() throws Exception {
        String id = "a2k-" + UUID.randomUUID();
        artemis.sendText(ArtemisBrokerResource.REQUESTS, "{\"requestId\":\"" + id + "-1\",\"blockStorageInstanceNo\":\"740001\"}");
        artemis.sendText(ArtemisBrokerResource.REQUESTS, "{\"requestId\":\"" + id + "-2\",\"blockStorageInstanceNo\":\"x\"}");

        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.readAll(KafkaBrokerResource.EVENTS, Integer.MAX_VALUE,
                Duration.ofSeconds(2)).stream().filter(r -> r.key() != null && r.key().startsWith(id)).count() == 2);
        List<ConsumerRecord<String, String>> events = kafka.readAll(KafkaBrokerResource.EVENTS, Integer.MAX_VALUE,
                Duration.ofSeconds(2)).stream().filter(r -> r.key() != null && r.key().startsWith(id)).toList();
        assertTrue(events.stream().anyMatch(r -> r.key().equals(id + "-1") && r.value().contains("snapshot.created")));
        assertTrue(events.stream().anyMatch(r -> r.key().equals(id + "-2") && r.value().contains("snapshot.rejected")));
        assertEquals(0, artemis.messageCount(ArtemisBrokerResource.REQUESTS));
    }
}
