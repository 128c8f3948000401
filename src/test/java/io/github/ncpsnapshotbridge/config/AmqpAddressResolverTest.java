package io.github.ncpsnapshotbridge.config;

import io.github.ncpsnapshotbridge.settings.BridgeConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;

import org.junit.jupiter.api.Test;

class AmqpAddressResolverTest {

    private static BridgeConfig config(String requests, String events) {
        BridgeConfig.Amqp amqp = (BridgeConfig.Amqp) Proxy.newProxyInstance(AmqpAddressResolverTest.class.getClassLoader(),
                new Class<?>[] {BridgeConfig.Amqp.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "requestsQueue" -> requests;
                    case "eventsAddress" -> events;
                    default -> null;
                });
        return (BridgeConfig) Proxy.newProxyInstance(AmqpAddressResolverTest.class.getClassLoader(), new Class<?>[] {BridgeConfig.class},
                (proxy, method, args) -> method.getName().equals("amqp") ? amqp : null);
    }

    @Test
    void rabbitMqAddressesGetTheirLeadingSlashBack() {
        AmqpAddressResolver resolver = new AmqpAddressResolver(config("/queue/ncp.snapshot.requests", "/queue/ncp.snapshot.events"));
        assertEquals("/queue/ncp.snapshot.requests", resolver.restore("queue/ncp.snapshot.requests"));
        assertEquals("/queue/ncp.snapshot.events", resolver.restore("queue/ncp.snapshot.events"));
        assertEquals("other", resolver.restore("other"));
    }

    @Test
    void plainNamesStayAsTheyAre() {
        AmqpAddressResolver resolver = new AmqpAddressResolver(config("ncp.snapshot.requests", "ncp.snapshot.events"));
        assertEquals("ncp.snapshot.requests", resolver.restore("ncp.snapshot.requests"));
    }
}
