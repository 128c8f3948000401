package io.github.ncpsnapshotbridge.config;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.github.ncpsnapshotbridge.ncp.CredentialsStore;
import io.quarkus.runtime.StartupEvent;

/** Refuses to start without credentials for account {@code default}, naming what is missing. */
@ApplicationScoped
public class StartupChecks {

    private static final Logger LOG = Logger.getLogger(StartupChecks.class);

    void onStart(@Observes StartupEvent event, NcpConfig ncp, BridgeConfig bridge, CredentialsStore credentials,
            KafkaSettings kafka, AmqpSettings amqp) {
        if (credentials.find(CredentialsStore.DEFAULT_ACCOUNT).isEmpty()) {
            List<String> missing = new ArrayList<>();
            if (ncp.accessKey().filter(s -> !s.isBlank()).isEmpty()) {
                missing.add("NCP_ACCESS_KEY");
            }
            if (ncp.secretKey().filter(s -> !s.isBlank()).isEmpty()) {
                missing.add("NCP_SECRET_KEY");
            }
            throw new IllegalStateException("No NCP credentials for account 'default': set " + String.join(" and ", missing)
                    + " (or put access-key and secret-key files under BRIDGE_CREDENTIALS_DIR/default/)");
        }
        LOG.infof("NCP API at %s; drop folder %s; Kafka %s; AMQP %s; events to %s", ncp.apiUrl(),
                bridge.inboxDir().toAbsolutePath(),
                kafka.enabled() ? kafka.bootstrapServers() + " (requests from " + bridge.kafka().requestsTopic() + ")" : "off",
                amqp.enabled() ? "on (requests from " + bridge.amqp().requestsQueue() + ")" : "off",
                switch (kafka.sink(bridge)) {
                    case file -> "files in " + bridge.outboxDir().toAbsolutePath();
                    case kafka -> "Kafka topic " + bridge.kafka().eventsTopic();
                    case amqp -> "AMQP address " + bridge.amqp().eventsAddress();
                });
    }
}
