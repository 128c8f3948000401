package io.github.ncpsnapshotbridge.pipeline;

import jakarta.enterprise.context.ApplicationScoped;

import io.github.ncpsnapshotbridge.events.BridgeEvent;
import io.github.ncpsnapshotbridge.events.EventFactory;
import io.github.ncpsnapshotbridge.ncp.CreateResult;
import io.github.ncpsnapshotbridge.ncp.SnapshotCreator;
import io.github.ncpsnapshotbridge.ncp.SnapshotOrder;

/**
 * Has NCP create a claimed request's snapshot and decides what its outcome is: {@code created} with the snapshot NCP
 * made or a look-up found; {@code failed} when NCP holds nothing for it; {@code failed} with {@code retryable: false}
 * when an attempt of unknown effect could not be settled. When no attempt was made in this run and NCP cannot be
 * asked, nothing is decided: the request is tried again later.
 */
@ApplicationScoped
public class SnapshotCreation {

    private final SnapshotCreator creator;
    private final RequestClaims claims;
    private final EventFactory events;

    public SnapshotCreation(SnapshotCreator creator, RequestClaims claims, EventFactory events) {
        this.creator = creator;
        this.claims = claims;
        this.events = events;
    }

    public BridgeEvent create(ClaimedRequest claimed) throws InterruptedException {
        SnapshotRequest request = claimed.request();
        CreateResult result = creator.create(new SnapshotOrder(request.requestId(), request.blockStorageInstanceNo(),
                request.blockStorageSnapshotName(), request.blockStorageSnapshotDescription(), request.account()),
                claimed.uncertainSince(), () -> claims.confirm(claimed));
        if (result instanceof CreateResult.Created created) {
            return events.created(request, created.attempts(), created.answer());
        }
        if (result instanceof CreateResult.Refused refused) {
            return events.failed(request, refused.attempts(), refused.error());
        }
        CreateResult.Unknown unknown = (CreateResult.Unknown) result;
        if (unknown.attempts() == 0) {
            // only an earlier run may have sent it, and NCP cannot say now whether it did: decide nothing yet
            throw new RequestNotFinished("requestId " + request.requestId() + ": NCP cannot be asked now whether an "
                    + "earlier attempt made the snapshot (" + unknown.error().returnMessage() + ")");
        }
        return events.failed(request, unknown.attempts(), unknown.error(), false);
    }
}
