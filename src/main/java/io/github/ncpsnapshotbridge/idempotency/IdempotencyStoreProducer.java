package io.github.ncpsnapshotbridge.idempotency;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import io.github.ncpsnapshotbridge.settings.BridgeConfig;
import io.github.ncpsnapshotbridge.settings.KafkaSettings;

/** The configured idempotency store. */
@ApplicationScoped
public class IdempotencyStoreProducer {

    @Produces
    @ApplicationScoped
    IdempotencyStore store(BridgeConfig config, KafkaSettings kafka, Clock clock) {
        BridgeConfig.Idempotency settings = config.idempotency();
        return switch (settings.store()) {
            case "file" -> new FileIdempotencyStore(settings.dir(), settings.retention(), clock);
            case "kafka" -> {
                if (!kafka.enabled()) {
                    throw new IllegalStateException("BRIDGE_IDEMPOTENCY_STORE=kafka needs KAFKA_BOOTSTRAP_SERVERS");
                }
                yield new KafkaIdempotencyStore(kafka.clientProperties("idempotency"), settings.kafkaTopic(),
                        settings.retention(), config.kafka().sessionTimeout(), clock);
            }
            default -> throw new IllegalStateException("BRIDGE_IDEMPOTENCY_STORE must be file or kafka, not '"
                    + settings.store() + "'");
        };
    }

    void close(@Disposes IdempotencyStore store) throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
