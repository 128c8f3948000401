package io.github.ncpsnapshotbridge.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AmqpSettingsTest {

    private static final String DEFAULTS = "failover.initialReconnectDelay=500&failover.reconnectDelay=500"
            + "&failover.useReconnectBackOff=true&failover.reconnectBackOffMultiplier=2&failover.maxReconnectDelay=30000"
            + "&failover.maxReconnectAttempts=-1";

    @Test
    void aPlainUrlIsWrappedInFailover() {
        assertEquals("failover:(amqp://broker:5672)?" + DEFAULTS, AmqpSettings.failoverUrl("amqp://broker:5672", 500));
    }

    @Test
    void connectionOptionsMoveOutsideTransportOptionsStayInside() {
        assertEquals("failover:(amqps://broker:5671?transport.trustStoreLocation=/ts.p12&amqp.idleTimeout=30000)"
                + "?jms.receiveLocalOnly=true&jms.receiveNoWaitLocalOnly=true&failover.maxReconnectAttempts=5&"
                + DEFAULTS.replace("&failover.maxReconnectAttempts=-1", ""),
                AmqpSettings.failoverUrl("amqps://broker:5671?jms.receiveLocalOnly=true&transport.trustStoreLocation=/ts.p12"
                        + "&jms.receiveNoWaitLocalOnly=true&amqp.idleTimeout=30000&failover.maxReconnectAttempts=5", 500));
    }

    @Test
    void aFailoverUrlIsLeftAsGiven() {
        assertEquals("failover:(amqp://a:5672,amqp://b:5672)", AmqpSettings.failoverUrl("failover:(amqp://a:5672,amqp://b:5672)", 500));
    }
}
