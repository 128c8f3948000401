package io.github.ncpsnapshotbridge.pipeline;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import io.github.ncpsnapshotbridge.settings.BridgeConfig;

import io.github.ncpsnapshotbridge.ncp.CreateResult;
import io.github.ncpsnapshotbridge.ncp.NcpSnapshot;
import io.github.ncpsnapshotbridge.ncp.SnapshotCreator;

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
    private final Clock clock;
    private final boolean tracking;

    public SnapshotCreation(SnapshotCreator creator, RequestClaims claims, EventFactory events, Clock clock,
            BridgeConfig config) {
        this.creator = creator;
        this.claims = claims;
        this.events = events;
        this.clock = clock;
        this.tracking = config.completion().enabled();
    }

    public BridgeEvent create(ClaimedRequest claimed) throws InterruptedException {
        SnapshotRequest request = claimed.request();
        CreateResult result = creator.create(request.toOrder(), claimed.uncertainSince(), () -> claims.confirm(claimed));
        if (result instanceof CreateResult.Created created) {
            NcpSnapshot snapshot = created.answer().snapshot();
            // followed until usable, once the created event is out (see CompletionTracker)
            String tracked = tracking && snapshot.instanceNo() != null
                    ? new TrackedSnapshot(request.requestId(), snapshot.instanceNo(), request.blockStorageInstanceNo(),
                            request.account(), request.platform(), request.regionCode(), clock.instant(),
                            EventFactory.snapshot(snapshot)).toJson()
                    : null;
            return events.created(request, created.attempts(), created.answer(), tracked);
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
