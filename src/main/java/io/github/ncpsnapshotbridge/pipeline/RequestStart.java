package io.github.ncpsnapshotbridge.pipeline;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

import io.github.ncpsnapshotbridge.metrics.BridgeMetrics;

/** The first steps every request takes: its clock starts, and validation turns a broken request into its event. */
@ApplicationScoped
public class RequestStart {

    public static final String STARTED_AT = "bridgeStartedAt";
    /** Set by each intake: {@code file}, {@code kafka} or {@code amqp}. */
    public static final String CHANNEL = "bridgeChannel";

    private final RequestValidator validator;
    private final EventFactory events;
    private final BridgeMetrics metrics;

    public RequestStart(RequestValidator validator, EventFactory events, BridgeMetrics metrics) {
        this.validator = validator;
        this.events = events;
        this.metrics = metrics;
    }

    /** Once per request, however often the pipeline tries it: the clock and the in-flight gauge start. */
    public void begin(Exchange exchange) {
        exchange.setProperty(STARTED_AT, System.nanoTime());
        metrics.started();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                metrics.finished();
            }
        });
    }

    /**
     * A {@link SnapshotRequest} to send on ({@link Stage#VALID}), or the {@code rejected} event of a request that
     * breaks a rule ({@link Stage#REJECTED}).
     */
    public Object validate(IntakeItem item, Exchange exchange) {
        Object result = validator.validate(item);
        if (result instanceof Rejection rejection) {
            exchange.setProperty(Stage.PROPERTY, Stage.REJECTED);
            return events.rejected(rejection);
        }
        exchange.setProperty(Stage.PROPERTY, Stage.VALID);
        return result;
    }
}
