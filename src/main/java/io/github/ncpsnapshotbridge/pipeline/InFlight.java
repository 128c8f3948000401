package io.github.ncpsnapshotbridge.pipeline;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

import io.github.ncpsnapshotbridge.metrics.BridgeMetrics;

/** Counts a request as in flight until its exchange ends, and starts its clock (what its event's latency counts from). */
@ApplicationScoped
public class InFlight {

    /** Exchange property: when the request began, in {@link System#nanoTime()}. */
    public static final String STARTED_AT = "bridgeStartedAt";

    private final BridgeMetrics metrics;

    public InFlight(BridgeMetrics metrics) {
        this.metrics = metrics;
    }

    /** Once per request, however often the pipeline tries it. */
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
}
