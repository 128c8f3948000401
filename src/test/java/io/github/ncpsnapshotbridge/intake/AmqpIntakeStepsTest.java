package io.github.ncpsnapshotbridge.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class AmqpIntakeStepsTest {

    private static final byte[] BODY = "{\"blockStorageInstanceNo\":\"1\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aMessageIsKnownByItsIdOrWithoutOneByItsBody() {
        assertEquals(AmqpIntakeSteps.transportIdentity("q", "ID:1", BODY), AmqpIntakeSteps.transportIdentity("q", "ID:1", null),
                "with a message-id, the body does not matter");
        assertNotEquals(AmqpIntakeSteps.transportIdentity("q", "ID:1", BODY), AmqpIntakeSteps.transportIdentity("q", "ID:2", BODY));
        assertEquals(AmqpIntakeSteps.transportIdentity("q", null, BODY), AmqpIntakeSteps.transportIdentity("q", null, BODY.clone()),
                "a redelivered message without an id is recognised by its body");
        assertNotEquals(AmqpIntakeSteps.transportIdentity("q", null, BODY),
                AmqpIntakeSteps.transportIdentity("q", null, "{}".getBytes(StandardCharsets.UTF_8)));
        assertNotEquals(AmqpIntakeSteps.transportIdentity("q", null, BODY), AmqpIntakeSteps.transportIdentity("other", null, BODY));
        assertTrue(AmqpIntakeSteps.transportIdentity("q", null, BODY).startsWith("amqp:"));
    }

    @Test
    void kafkaIdsNameTheTopicsIdSoARecreatedTopicGivesNewIds() {
        assertEquals("kafka:requests/AbC:0:5", KafkaIntakeSteps.transportIdentity("requests", "AbC", 0, 5L));
        assertNotEquals(KafkaIntakeSteps.transportIdentity("requests", "AbC", 0, 5L),
                KafkaIntakeSteps.transportIdentity("requests", "XyZ", 0, 5L));
    }
}
