package io.github.ncpsnapshotbridge.intake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import io.github.ncpsnapshotbridge.settings.KafkaSettings;
import io.github.ncpsnapshotbridge.pipeline.IntakeItem;
import io.github.ncpsnapshotbridge.pipeline.RequestBatchReader;

/** Puts a Kafka record on an exchange, and reads it into requests. */
@ApplicationScoped
public class KafkaRecords {

    private static final Logger LOG = Logger.getLogger(KafkaRecords.class);
    static final String TOPIC_ID = "bridgeKafkaTopicId";

    private final RequestBatchReader reader;
    private final KafkaSettings settings;
    private final Map<String, String> topicIds = new ConcurrentHashMap<>();
    private Admin admin;

    public KafkaRecords(RequestBatchReader reader, KafkaSettings settings) {
        this.reader = reader;
        this.settings = settings;
    }

    /** The record on the exchange: its value as body, where it sits in the log as headers. */
    public void describe(ConsumerRecord<String, byte[]> record, Exchange exchange) {
        exchange.getMessage().setBody(record.value());
        exchange.getMessage().setHeader(KafkaConstants.TOPIC, record.topic());
        exchange.getMessage().setHeader(KafkaConstants.PARTITION, record.partition());
        exchange.getMessage().setHeader(KafkaConstants.OFFSET, record.offset());
        exchange.getMessage().setHeader(TOPIC_ID, topicId(record.topic()));
    }

    /** The record's request, or its requests when it holds an array of them. */
    public Object read(Exchange exchange) {
        exchange.setProperty(IntakeItem.CHANNEL, "kafka");
        String topic = exchange.getMessage().getHeader(KafkaConstants.TOPIC, String.class);
        Integer partition = exchange.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class);
        Long offset = exchange.getMessage().getHeader(KafkaConstants.OFFSET, Long.class);
        String topicId = exchange.getMessage().getHeader(TOPIC_ID, String.class);
        byte[] value = exchange.getMessage().getBody(byte[].class);
        List<IntakeItem> items = reader.read(value == null ? new byte[0] : value, RequestBatchReader.Format.JSON,
                transportIdentity(topic, topicId, partition, offset)).items();
        return items.size() == 1 ? items.get(0) : items;
    }

    /**
     * A record's place in the log is its identity: redelivered, it gets the same derived request id; the same
     * content produced again does not. The topic's id (new when a topic is deleted and created again, which restarts
     * its offsets) keeps a re-created topic's records apart from the old ones. Long topic names are hashed.
     */
    static String transportIdentity(String topic, String topicId, Integer partition, Long offset) {
        String name = topic.length() <= 80 ? topic : hash(topic);
        return "kafka:" + name + (topicId == null ? "" : "/" + topicId) + ":" + partition + ":" + offset;
    }

    /** The topic's id, asked once per topic (null when the cluster cannot say). */
    private String topicId(String topic) {
        String known = topicIds.get(topic);
        if (known != null) {
            return known;
        }
        try {
            String id = admin().describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
                    .topicId().toString();
            topicIds.put(topic, id);
            return id;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warnf("Cannot learn the id of topic %s (%s); derived request ids name the topic only", topic, e.toString());
            return null;
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Properties props = settings.clientProperties("intake-admin");
            admin = Admin.create(props);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
        }
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
