package io.github.ncpsnapshotbridge.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import io.github.ncpsnapshotbridge.idempotency.IdempotencyStore;

/**
 * Not live once the idempotency store cannot be written again in this process (a journal that could not be written or
 * forced): no request can be claimed, and only a restart, which replays the journal, recovers; the orchestrator
 * restarts the instance.
 */
@Liveness
@ApplicationScoped
public class IdempotencyStoreLiveness implements HealthCheck {

    private final IdempotencyStore store;

    public IdempotencyStoreLiveness(IdempotencyStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("idempotency-store-writable").status(!store.failed()).build();
    }
}
