package io.github.ncpsnapshotbridge.pipeline;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.ExchangeProperty;

import io.github.ncpsnapshotbridge.settings.BridgeConfig;

import io.github.ncpsnapshotbridge.ncp.CreateResult;
import io.github.ncpsnapshotbridge.ncp.CredentialsStore;
import io.github.ncpsnapshotbridge.ncp.ErrorCategory;
import io.github.ncpsnapshotbridge.ncp.NcpCredentials;
import io.github.ncpsnapshotbridge.ncp.NcpError;
import io.github.ncpsnapshotbridge.ncp.NcpSnapshot;
import io.github.ncpsnapshotbridge.ncp.SnapshotCreator;

/**
 * Has NCP create a claimed request's snapshot and decides what its outcome is: {@code created} with the snapshot NCP
 * made or a look-up found; {@code failed} when NCP holds nothing for it; {@code failed} with {@code retryable: false}
 * when an attempt of unknown effect could not be settled. When no attempt was made in this run and NCP cannot be
 * asked, nothing is decided: the request is tried again later. The request holds no worker while NCP is asked or
 * waited for; its outcome is decided, and the request goes on, on a worker.
 */
@ApplicationScoped
public class SnapshotCreation {

    private final SnapshotCreator creator;
    private final RequestClaims claims;
    private final EventFactory events;
    private final Clock clock;
    private final boolean tracking;
    private final ExecutorService workers;
    private final CredentialsStore credentials;

    /** The exchange property holding the claimed request's account credentials ({@link #accountOf}). */
    public static final String ACCOUNT = "bridgeAccount";

    public SnapshotCreation(SnapshotCreator creator, RequestClaims claims, EventFactory events, Clock clock,
            BridgeConfig config, @Named(WorkerPool.NAME) ExecutorService workers, CredentialsStore credentials) {
        this.creator = creator;
        this.claims = claims;
        this.events = events;
        this.clock = clock;
        this.tracking = config.completion().enabled();
        this.workers = workers;
        this.credentials = credentials;
    }

    /**
     * The credentials of the claimed request's account, for the next step: null when the account is not known, and
     * the request then fails without a call.
     */
    public NcpCredentials accountOf(ClaimedRequest claimed) {
        return credentials.find(claimed.request().account()).orElse(null);
    }

    /**
     * Completes with the request's event, on a worker; fails with {@link RequestNotFinished} or {@link ClaimLost}.
     * {@code account}: what {@link #accountOf} found.
     */
    public CompletableFuture<BridgeEvent> create(ClaimedRequest claimed,
            @ExchangeProperty(ACCOUNT) NcpCredentials account) {
        if (account == null) {
            return CompletableFuture.completedFuture(events.failed(claimed.request(), 0, new NcpError(null, null,
                    CredentialsStore.unknownAccount(claimed.request().account()), ErrorCategory.AUTH)));
        }
        CompletableFuture<BridgeEvent> event = new CompletableFuture<>();
        creator.create(claimed.request().toOrder(), account, claimed.uncertainSince(), () -> claims.confirm(claimed))
                .whenComplete((result, failure) -> {
                    try {
                        workers.execute(() -> {
                            try {
                                if (failure != null) {
                                    throw failure instanceof CompletionException && failure.getCause() != null
                                            ? failure.getCause() : failure;
                                }
                                event.complete(decide(claimed.request(), result));
                            } catch (Throwable e) {
                                event.completeExceptionally(e);
                            }
                        });
                    } catch (RejectedExecutionException stopping) {
                        // the workers are shutting down: the request ends unfinished, its input unacknowledged
                        event.completeExceptionally(stopping);
                    }
                });
        return event;
    }

    private BridgeEvent decide(SnapshotRequest request, CreateResult result) {
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
