package io.github.ncpsnapshotbridge.idempotency;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import io.github.ncpsnapshotbridge.config.BridgeConfig;

/** The configured idempotency store. */
@ApplicationScoped
public class IdempotencyStoreProducer {

    @Produces
    @ApplicationScoped
    IdempotencyStore store(BridgeConfig config, Clock clock) {
        return new FileIdempotencyStore(config.idempotency().dir(), config.idempotency().retention(), clock);
    }

    void close(@Disposes IdempotencyStore store) throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
