package io.github.ncpsnapshotbridge.idempotency;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.Exchange;
import org.jboss.logging.Logger;

import io.github.ncpsnapshotbridge.events.BridgeEvent;
import io.github.ncpsnapshotbridge.ncp.NcpCaller;
import io.github.ncpsnapshotbridge.pipeline.PipelineSteps;

/**
 * Once after start: every request an earlier run left in flight is looked up at NCP, and the {@code created} event of
 * each one found is published. Requests not found are left alone: their input comes back (unacknowledged) and goes
 * through the pipeline, which creates them.
 */
@ApplicationScoped
public class InFlightRecovery {

    private static final Logger LOG = Logger.getLogger(InFlightRecovery.class);

    private final IdempotencyStore store;
    private final IdempotencySteps idempotency;
    private final NcpCaller ncp;

    public InFlightRecovery(IdempotencyStore store, IdempotencySteps idempotency, NcpCaller ncp) {
        this.store = store;
        this.idempotency = idempotency;
        this.ncp = ncp;
    }

    public List<BridgeEvent> recover(Exchange exchange) throws InterruptedException {
        exchange.setProperty(PipelineSteps.CHANNEL, "recovery");
        List<BridgeEvent> found = new ArrayList<>();
        List<RequestRecord> inFlight = List.copyOf(store.inFlight());
        for (RequestRecord record : inFlight) {
            if (idempotency.isActive(record.requestId())) {
                // already back through an intake and being handled there
                continue;
            }
            Optional<BridgeEvent> event = ncp.recover(record);
            event.ifPresent(found::add);
        }
        if (!inFlight.isEmpty()) {
            LOG.infof("%d request(s) were in flight when the bridge last stopped; %d found at NCP and reported now",
                    inFlight.size(), found.size());
        }
        return found;
    }
}
