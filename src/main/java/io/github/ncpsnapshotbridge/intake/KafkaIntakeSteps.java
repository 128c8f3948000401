package io.github.ncpsnapshotbridge.intake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

import io.github.ncpsnapshotbridge.pipeline.IntakeItem;
import io.github.ncpsnapshotbridge.pipeline.PipelineSteps;
import io.github.ncpsnapshotbridge.pipeline.RequestBatchReader;

/** Reads a Kafka record into requests; commits its offset once every request's event is published. */
@ApplicationScoped
public class KafkaIntakeSteps {

    private final RequestBatchReader reader;

    public KafkaIntakeSteps(RequestBatchReader reader) {
        this.reader = reader;
    }

    public List<IntakeItem> read(Exchange exchange) {
        exchange.setProperty(PipelineSteps.CHANNEL, "kafka");
        String topic = exchange.getMessage().getHeader(KafkaConstants.TOPIC, String.class);
        Integer partition = exchange.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class);
        Long offset = exchange.getMessage().getHeader(KafkaConstants.OFFSET, Long.class);
        byte[] value = exchange.getMessage().getBody(byte[].class);
        return reader.read(value == null ? new byte[0] : value, RequestBatchReader.Format.JSON,
                transportIdentity(topic, partition, offset)).items();
    }

    public void commit(Exchange exchange) {
        KafkaManualCommit commit = exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
        if (commit == null) {
            throw new IllegalStateException("the Kafka consumer gave no manual commit handle; is allowManualCommit on?");
        }
        commit.commit();
    }

    /**
     * A record's place in the log is its identity: redelivered, it gets the same derived request id; the same
     * content produced again does not. Topic names that would make the id too long are hashed.
     */
    static String transportIdentity(String topic, Integer partition, Long offset) {
        String name = topic.length() <= 80 ? topic : hash(topic);
        return "kafka:" + name + ":" + partition + ":" + offset;
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
