package io.github.ncpsnapshotbridge.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.github.ncpsnapshotbridge.idempotency.IdempotencyStore;

/** Not ready while the idempotency store cannot answer (the Kafka store is not following its topic). */
@Readiness
@ApplicationScoped
public class IdempotencyStoreCheck implements HealthCheck {

    private final IdempotencyStore store;

    public IdempotencyStoreCheck(IdempotencyStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("idempotency-store").status(store.healthy())
                .withData("store", store.getClass().getSimpleName()).build();
    }
}
