package io.github.ncpsnapshotbridge.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.apache.qpid.jms.message.JmsMessage;
import org.apache.qpid.jms.provider.amqp.message.AmqpJmsMessageFacade;

/**
 * A real ActiveMQ Artemis broker inside the test JVM, speaking AMQP 1.0 on 127.0.0.1, with a persistent journal so
 * that a restart keeps unsettled messages. Clients in tests use Qpid JMS, the same client the bridge uses.
 */
public class ArtemisBroker implements AutoCloseable {

    /** A received message, with the AMQP content type the JMS API does not show. */
    public record Received(String body, Map<String, Object> properties, String contentType, boolean persistent) {
    }

    private final Path dataDir;
    private final int port;
    private EmbeddedActiveMQ server;

    public ArtemisBroker(Path dataDir) throws IOException {
        this.dataDir = dataDir;
        try (ServerSocket socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        }
    }

    public synchronized void start() throws Exception {
        Configuration config = new ConfigurationImpl()
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(dataDir.resolve("journal").toString())
                .setBindingsDirectory(dataDir.resolve("bindings").toString())
                .setLargeMessagesDirectory(dataDir.resolve("large").toString())
                .setPagingDirectory(dataDir.resolve("paging").toString())
                .addAcceptorConfiguration("amqp", "tcp://127.0.0.1:" + port + "?protocols=AMQP");
        server = new EmbeddedActiveMQ();
        server.setConfiguration(config);
        server.start();
    }

    public synchronized void stop() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    public String url() {
        return "amqp://127.0.0.1:" + port;
    }

    /** Messages waiting in {@code queue} (0 when it does not exist yet). */
    public synchronized long messageCount(String queue) {
        Queue q = server.getActiveMQServer().locateQueue(SimpleString.of(queue));
        return q == null ? 0 : q.getMessageCount() + q.getDeliveringCount();
    }

    /** Messages of {@code queue} handed to a consumer and not yet settled (in its prefetch buffer or in work). */
    public synchronized long deliveringCount(String queue) {
        Queue q = server.getActiveMQServer().locateQueue(SimpleString.of(queue));
        return q == null ? 0 : q.getDeliveringCount();
    }

    public interface MessageMaker {
        Message make(Session session) throws JMSException;
    }

    public void send(String queue, MessageMaker maker) throws JMSException {
        try (Connection connection = new JmsConnectionFactory(url()).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            producer.send(maker.make(session));
        }
    }

    public void sendText(String queue, String text) throws JMSException {
        send(queue, s -> s.createTextMessage(text));
    }

    /** Takes every message now in {@code queue}, waiting up to {@code waitMs} for each next one. */
    public List<Received> drain(String queue, long waitMs) throws JMSException {
        List<Received> received = new ArrayList<>();
        try (Connection connection = new JmsConnectionFactory(url()).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            Message message;
            while ((message = consumer.receive(waitMs)) != null) {
                Map<String, Object> properties = new java.util.HashMap<>();
                for (var names = message.getPropertyNames(); names.hasMoreElements();) {
                    String name = (String) names.nextElement();
                    properties.put(name, message.getObjectProperty(name));
                }
                String contentType = message instanceof JmsMessage jms && jms.getFacade() instanceof AmqpJmsMessageFacade f
                        && f.getContentType() != null ? f.getContentType().toString() : null;
                String body = message instanceof jakarta.jms.BytesMessage bytes ? readAll(bytes)
                        : message.getBody(String.class);
                received.add(new Received(body, properties, contentType,
                        message.getJMSDeliveryMode() == jakarta.jms.DeliveryMode.PERSISTENT));
            }
        }
        return received;
    }

    private static String readAll(jakarta.jms.BytesMessage bytes) throws JMSException {
        byte[] data = new byte[(int) bytes.getBodyLength()];
        bytes.readBytes(data);
        return new String(data, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
