package io.github.ncpsnapshotbridge.idempotency;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

import io.github.ncpsnapshotbridge.events.BridgeEvent;
import io.github.ncpsnapshotbridge.events.EventFactory;
import io.github.ncpsnapshotbridge.events.EventType;
import io.github.ncpsnapshotbridge.ncp.SnapshotNames;
import io.github.ncpsnapshotbridge.pipeline.SnapshotRequest;

/**
 * Decides, per requestId, whether NCP may be called: a new id is recorded as in flight first; an id whose outcome
 * is published gives a {@code duplicate} event; an id left in flight by an earlier run is checked at NCP first.
 */
@ApplicationScoped
public class IdempotencySteps {

    private final IdempotencyStore store;
    private final EventFactory events;
    /** Requests this process is working on right now: a second copy arriving meanwhile is a duplicate. */
    private final Set<String> active = ConcurrentHashMap.newKeySet();

    public IdempotencySteps(IdempotencyStore store, EventFactory events) {
        this.store = store;
        this.events = events;
    }

    /** Returns the request to create, an {@link InFlightCheck}, or the {@code duplicate} event. */
    public Object claim(SnapshotRequest request, Exchange exchange) {
        String requestId = request.requestId();
        if (!active.add(requestId)) {
            return events.duplicate(request);
        }
        // whatever happens next, this process stops working on the request when its exchange ends
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                active.remove(requestId);
            }
        });
        Optional<RequestRecord> existing = store.claim(requestId, request.blockStorageInstanceNo(),
                SnapshotNames.forRequest(request.blockStorageSnapshotName(), requestId), request.account());
        if (existing.isEmpty()) {
            return request;
        }
        return existing.get().state() == RequestRecord.State.DONE ? events.duplicate(request) : new InFlightCheck(request);
    }

    /** Whether this process is working on {@code requestId} right now. */
    public boolean isActive(String requestId) {
        return active.contains(requestId);
    }

    /** After publishing: a created or failed outcome closes the requestId for good. */
    public void published(BridgeEvent event) {
        if (event.type() == EventType.CREATED || event.type() == EventType.FAILED) {
            store.done(event.requestId(), event.type().outcome());
        }
    }
}
