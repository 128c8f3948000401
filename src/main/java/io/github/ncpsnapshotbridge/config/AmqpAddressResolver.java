package io.github.ncpsnapshotbridge.config;

import io.github.ncpsnapshotbridge.settings.BridgeConfig;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Session;

import org.springframework.jms.support.destination.DestinationResolver;

/**
 * Camel's JMS endpoints drop a leading {@code /} from a destination name, but RabbitMQ's AMQP 1.0 addresses start
 * with one ({@code /queue/name}, {@code /amq/queue/name}). This gives the configured queue and address back their exact
 * spelling; any other name is used as it comes.
 */
@ApplicationScoped
@Named("amqpAddresses")
public class AmqpAddressResolver implements DestinationResolver {

    private final String requestsQueue;
    private final String eventsAddress;

    public AmqpAddressResolver(BridgeConfig config) {
        this.requestsQueue = config.amqp().requestsQueue();
        this.eventsAddress = config.amqp().eventsAddress();
    }

    @Override
    public Destination resolveDestinationName(Session session, String name, boolean pubSub) throws JMSException {
        String address = restore(name);
        return pubSub ? session.createTopic(address) : session.createQueue(address);
    }

    String restore(String name) {
        for (String configured : new String[] {requestsQueue, eventsAddress}) {
            if (configured.startsWith("/") && configured.replaceFirst("^/+", "").equals(name)) {
                return configured;
            }
        }
        return name;
    }
}
