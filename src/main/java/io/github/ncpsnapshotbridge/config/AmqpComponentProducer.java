package io.github.ncpsnapshotbridge.config;

import io.github.ncpsnapshotbridge.settings.AmqpSettings;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;

import org.apache.camel.component.amqp.AMQPComponent;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * Camel's {@code amqp} component on one shared Qpid JMS connection built from AMQP_URL / AMQP_USERNAME /
 * AMQP_PASSWORD, with the failover transport around it so that a broker restart heals by itself.
 */
@ApplicationScoped
public class AmqpComponentProducer {

    @Produces
    @Named("amqp")
    @ApplicationScoped
    AMQPComponent amqp(AmqpSettings settings) {
        AMQPComponent component = new AMQPComponent();
        if (settings.enabled()) {
            CachingConnectionFactory caching = new CachingConnectionFactory(settings.newReconnectingConnectionFactory());
            caching.setReconnectOnException(true);
            caching.setSessionCacheSize(10);
            caching.setCacheConsumers(false);
            component.setConnectionFactory(caching);
        }
        return component;
    }
}
