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

import io.github.ncpsnapshotbridge.config.AmqpSettings;
import io.github.ncpsnapshotbridge.pipeline.IntakeItem;
import io.github.ncpsnapshotbridge.pipeline.PipelineSteps;
import io.github.ncpsnapshotbridge.pipeline.RequestBatch;
import io.github.ncpsnapshotbridge.pipeline.RequestBatchReader;

/**
 * Reads an AMQP message (as Qpid JMS hands it over, unconverted) into requests. Only text and binary bodies are
 * accepted; anything else, or a body over the size limit, is an unreadable request, rejected without being parsed.
 * Object bodies are never deserialised.
 */
@ApplicationScoped
public class AmqpIntakeSteps {

    private final RequestBatchReader reader;
    private final AmqpSettings settings;

    public AmqpIntakeSteps(RequestBatchReader reader, AmqpSettings settings) {
        this.reader = reader;
        this.settings = settings;
    }

    public List<IntakeItem> read(Exchange exchange) throws JMSException, InvalidPayloadException {
        exchange.setProperty(PipelineSteps.CHANNEL, "amqp");
        Message message = exchange.getMessage().getMandatoryBody(Message.class);
        String identity = transportIdentity(settings.amqp().requestsQueue(), message.getJMSMessageID());
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
        return reader.read(payload, RequestBatchReader.Format.JSON, identity).items();
    }

    private static List<IntakeItem> tooLarge(long size, int limit, String identity) {
        return RequestBatch.unreadable("", "message too large: " + size + " bytes, the limit is " + limit, identity).items();
    }

    /**
     * A message's id is its identity: redelivered, it gives the same derived request id. A message without an id has
     * none, so it gets a random one.
     */
    static String transportIdentity(String queue, String messageId) {
        String key = messageId == null ? UUID.randomUUID().toString() : queue + "\n" + messageId;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "amqp:" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
