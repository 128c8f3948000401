package io.github.ncpsnapshotbridge.settings;

import java.util.Optional;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Kafka connection settings shared by the intake, the sink and the readiness check. Kafka is on when
 * {@code KAFKA_BOOTSTRAP_SERVERS} ({@code kafka.bootstrap.servers}) is set.
 */
@ApplicationScoped
public class KafkaSettings {

    private final Optional<String> bootstrapServers;
    private final BridgeConfig.Kafka kafka;

    public KafkaSettings(@ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> bootstrapServers,
            BridgeConfig bridge) {
        this.bootstrapServers = bootstrapServers.map(String::trim).filter(s -> !s.isEmpty());
        this.kafka = bridge.kafka();
    }

    public boolean enabled() {
        return bootstrapServers.isPresent();
    }

    public String bootstrapServers() {
        return bootstrapServers.orElseThrow(() -> new IllegalStateException("KAFKA_BOOTSTRAP_SERVERS is not set"));
    }

    public BridgeConfig.Kafka kafka() {
        return kafka;
    }

    /** Settings for Camel's Kafka component; security settings stay out of endpoint URIs (and so out of logs). */
    public KafkaConfiguration componentConfiguration() {
        KafkaConfiguration conf = new KafkaConfiguration();
        conf.setBrokers(bootstrapServers());
        conf.setClientId(kafka.clientId());
        conf.setSecurityProtocol(kafka.securityProtocol());
        kafka.saslMechanism().ifPresent(conf::setSaslMechanism);
        kafka.saslJaasConfig().ifPresent(conf::setSaslJaasConfig);
        kafka.sslTruststoreLocation().ifPresent(conf::setSslTruststoreLocation);
        kafka.sslTruststorePassword().ifPresent(conf::setSslTruststorePassword);
        kafka.sslTruststoreType().ifPresent(conf::setSslTruststoreType);
        return conf;
    }

    /** The same connection as plain client properties, for clients outside Camel; {@code role} ends the client id. */
    public Properties clientProperties(String role) {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, kafka.clientId() + "-" + role);
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, kafka.securityProtocol());
        kafka.saslMechanism().ifPresent(v -> props.put(SaslConfigs.SASL_MECHANISM, v));
        kafka.saslJaasConfig().ifPresent(v -> props.put(SaslConfigs.SASL_JAAS_CONFIG, v));
        kafka.sslTruststoreLocation().ifPresent(v -> props.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, v));
        kafka.sslTruststorePassword().ifPresent(v -> props.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, v));
        kafka.sslTruststoreType().ifPresent(v -> props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, v));
        return props;
    }

    /** The sink to use: as configured, else Kafka when Kafka is on, else files. */
    public BridgeConfig.EventsSink sink(BridgeConfig bridge) {
        return bridge.eventsSink().orElse(enabled() ? BridgeConfig.EventsSink.kafka : BridgeConfig.EventsSink.file);
    }
}
