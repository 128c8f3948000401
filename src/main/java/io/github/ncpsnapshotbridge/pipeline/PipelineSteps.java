package io.github.ncpsnapshotbridge.pipeline;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.Exchange;

import io.github.ncpsnapshotbridge.events.EventFactory;

/** The first step every request takes: validation, which turns a broken request straight into its event. */
@ApplicationScoped
public class PipelineSteps {

    public static final String STARTED_AT = "bridgeStartedAt";

    private final RequestValidator validator;
    private final EventFactory events;

    public PipelineSteps(RequestValidator validator, EventFactory events) {
        this.validator = validator;
        this.events = events;
    }

    /** A {@link SnapshotRequest} to send on, or the {@code rejected} event of a request that breaks a rule. */
    public Object validate(IntakeItem item, Exchange exchange) {
        exchange.setProperty(STARTED_AT, System.nanoTime());
        Object result = validator.validate(item);
        return result instanceof Rejection rejection ? events.rejected(rejection) : result;
    }
}
