package io.github.ncpsnapshotbridge.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class AmqpMessagesTest {

    private static final byte[] BODY = "{\"blockStorageInstanceNo\":\"1\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aMessageIsKnownByItsIdOrWithoutOneByItsBody() {
        assertEquals(AmqpMessages.transportIdentity("q", "ID:1", BODY), AmqpMessages.transportIdentity("q", "ID:1", null),
                "with a message-id, the body does not matter");
        assertNotEquals(AmqpMessages.transportIdentity("q", "ID:1", BODY), AmqpMessages.transportIdentity("q", "ID:2", BODY));
        assertEquals(AmqpMessages.transportIdentity("q", null, BODY), AmqpMessages.transportIdentity("q", null, BODY.clone()),
                "a redelivered message without an id is recognised by its body");
        assertNotEquals(AmqpMessages.transportIdentity("q", null, BODY),
                AmqpMessages.transportIdentity("q", null, "{}".getBytes(StandardCharsets.UTF_8)));
        assertNotEquals(AmqpMessages.transportIdentity("q", null, BODY), AmqpMessages.transportIdentity("other", null, BODY));
        assertTrue(AmqpMessages.transportIdentity("q", null, BODY).startsWith("amqp:"));
    }

    @Test
    void kafkaIdsNameTheTopicsIdSoARecreatedTopicGivesNewIds() {
        assertEquals("kafka:requests/AbC:0:5", KafkaRecords.transportIdentity("requests", "AbC", 0, 5L));
        assertNotEquals(KafkaRecords.transportIdentity("requests", "AbC", 0, 5L),
                KafkaRecords.transportIdentity("requests", "XyZ", 0, 5L));
    }
}
