package io.github.ncpsnapshotbridge.events;

import io.github.ncpsnapshotbridge.pipeline.BridgeEvent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import jakarta.jms.Message;
import jakarta.jms.Session;

import org.apache.camel.Exchange;
import org.apache.camel.component.jms.MessageCreatedStrategy;
import org.apache.qpid.jms.message.JmsMessage;
import org.apache.qpid.jms.provider.amqp.message.AmqpJmsMessageFacade;
import org.apache.qpid.proton.amqp.Symbol;

/**
 * Gives each outgoing AMQP event the message property {@code content-type: application/cloudevents+json}, as the
 * CloudEvents AMQP binding wants for structured mode. JMS has no standard way to set it, so Qpid's own API is used.
 */
@ApplicationScoped
@Named("cloudEventsContentType")
public class AmqpContentType implements MessageCreatedStrategy {

    private static final Symbol CONTENT_TYPE = Symbol.valueOf(BridgeEvent.CONTENT_TYPE);

    @Override
    public void onMessageCreated(Message message, Session session, Exchange exchange, Throwable cause) {
        if (message instanceof JmsMessage jms && jms.getFacade() instanceof AmqpJmsMessageFacade facade) {
            facade.setContentType(CONTENT_TYPE);
        }
    }
}
