package io.github.ncpsnapshotbridge.intake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

import io.github.ncpsnapshotbridge.settings.AmqpSettings;
import io.github.ncpsnapshotbridge.pipeline.IntakeItem;
import io.github.ncpsnapshotbridge.pipeline.RequestBatch;
import io.github.ncpsnapshotbridge.pipeline.RequestBatchReader;

/**
 * Reads an AMQP message (as Qpid JMS hands it over, unconverted) into requests. Only text and binary bodies are
 * accepted; anything else, or a body over the size limit, is an unreadable request, rejected without being parsed.
 * Object bodies are never deserialised.
 */
@ApplicationScoped
public class AmqpMessages {

    private final RequestBatchReader reader;
    private final AmqpSettings settings;

    public AmqpMessages(RequestBatchReader reader, AmqpSettings settings) {
        this.reader = reader;
        this.settings = settings;
    }

    public List<IntakeItem> read(Exchange exchange) throws JMSException, InvalidPayloadException {
        exchange.setProperty(IntakeItem.CHANNEL, "amqp");
        Message message = exchange.getMessage().getMandatoryBody(Message.class);
        String queue = settings.amqp().requestsQueue();
        String identity = transportIdentity(queue, message.getJMSMessageID(), null);
        int limit = settings.amqp().maxMessageBytes();
        byte[] payload;
        if (message instanceof TextMessage text) {
            String body = text.getText() == null ? "" : text.getText();
            payload = body.getBytes(StandardCharsets.UTF_8);
        } else if (message instanceof BytesMessage bytes) {
            if (bytes.getBodyLength() > limit) {
                return tooLarge(bytes.getBodyLength(), limit, identity);
            }
            payload = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(payload);
        } else {
            String kind = message.getClass().getSimpleName().replaceFirst("^Jms", "");
            return RequestBatch.unreadable("", "unexpected message type " + kind
                    + ": send the request as a text or binary (data) message", identity).items();
        }
        if (payload.length > limit) {
            return tooLarge(payload.length, limit, identity);
        }
        return reader.read(payload, RequestBatchReader.Format.JSON, transportIdentity(queue, message.getJMSMessageID(),
                payload)).items();
    }

    private static List<IntakeItem> tooLarge(long size, int limit, String identity) {
        return RequestBatch.unreadable("", "message too large: " + size + " bytes, the limit is " + limit, identity).items();
    }

    /**
     * A message's id is its identity: redelivered, it gives the same derived request id. A message without an id is
     * known by its body instead (so its redelivery is recognised too; two such messages with the same body are one
     * request). Before the body is read, a message without an id gets a one-off identity, used only for rejections.
     */
    static String transportIdentity(String queue, String messageId, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(queue.getBytes(StandardCharsets.UTF_8));
            if (messageId != null) {
                sha.update(("\nid\n" + messageId).getBytes(StandardCharsets.UTF_8));
            } else if (body != null) {
                sha.update("\nbody\n".getBytes(StandardCharsets.UTF_8));
                sha.update(body);
            } else {
                sha.update(("\nunread\n" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
            }
            byte[] digest = sha.digest();
            return "amqp:" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
