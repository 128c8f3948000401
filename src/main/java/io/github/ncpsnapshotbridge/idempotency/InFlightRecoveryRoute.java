package io.github.ncpsnapshotbridge.idempotency;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.builder.RouteBuilder;

import io.github.ncpsnapshotbridge.events.EventPublisherRoute;

/** Runs {@link InFlightRecovery} once, shortly after start, and publishes what it found. */
@ApplicationScoped
public class InFlightRecoveryRoute extends RouteBuilder {

    private final InFlightRecovery recovery;

    public InFlightRecoveryRoute(InFlightRecovery recovery) {
        this.recovery = recovery;
    }

    @Override
    public void configure() {
        from("timer:recover-in-flight?repeatCount=1&delay=1000").routeId("recover-in-flight")
                .bean(recovery, "recover")
                .split(body())
                    .to(EventPublisherRoute.PUBLISH)
                .end();
    }
}
