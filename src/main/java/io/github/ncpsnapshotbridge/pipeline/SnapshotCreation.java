package io.github.ncpsnapshotbridge.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

import io.github.ncpsnapshotbridge.idempotency.RecordedOutcome;
import io.github.ncpsnapshotbridge.metrics.BridgeMetrics;
import io.github.ncpsnapshotbridge.ncp.CreateAttempts;
import io.github.ncpsnapshotbridge.ncp.CreateResult;
import io.github.ncpsnapshotbridge.ncp.CredentialsStore;
import io.github.ncpsnapshotbridge.ncp.ErrorCategory;
import io.github.ncpsnapshotbridge.ncp.HttpReply;
import io.github.ncpsnapshotbridge.ncp.NcpCallFactory;
import io.github.ncpsnapshotbridge.ncp.NcpCredentials;
import io.github.ncpsnapshotbridge.ncp.NcpError;
import io.github.ncpsnapshotbridge.ncp.NcpGate;
import io.github.ncpsnapshotbridge.ncp.NcpLookupException;
import io.github.ncpsnapshotbridge.ncp.NcpSnapshot;
import io.github.ncpsnapshotbridge.ncp.SignedCall;
import io.github.ncpsnapshotbridge.ncp.SnapshotLookup;
import io.github.ncpsnapshotbridge.ncp.Ticker;
import io.github.ncpsnapshotbridge.settings.BridgeConfig;

/**
 * The steps of the create route ({@link SnapshotPipelineRoute#CREATE}) for one claimed request: each hands what
 * happened to the request's {@link CreateAttempts} (the rules, in the ncp package) and returns the next step it
 * decides. At the end, {@link #outcome} turns what came of it into the request's event: {@code created} with the
 * snapshot NCP made or a look-up found; {@code failed} when NCP holds nothing for it; {@code failed} with
 * {@code retryable: false} when an attempt of unknown effect could not be settled. When no attempt was made in this
 * run and NCP cannot be asked, nothing is decided: the request is tried again later.
 */
@ApplicationScoped
public class SnapshotCreation {

    /** Exchange property: the claimed request's account credentials ({@link #accountOf}). */
    public static final String ACCOUNT = "bridgeAccount";
    /** Exchange property: the {@link ClaimedRequest} being created. */
    public static final String CLAIMED = "bridgeClaimed";
    /** Exchange property: the request's {@link CreateAttempts}. */
    public static final String ATTEMPTS = "bridgeCreateAttempts";

    private final CreateAttempts.Rules rules;
    private final SnapshotLookup lookup;
    private final NcpCallFactory calls;
    private final NcpGate gate;
    private final BridgeMetrics metrics;
    private final ExecutorService ncpCalls;
    private final Ticker ticker;
    private final EventFactory events;
    private final Clock clock;
    private final boolean tracking;
    private final CredentialsStore credentials;

    public SnapshotCreation(CreateAttempts.Rules rules, SnapshotLookup lookup, NcpCallFactory calls, NcpGate gate,
            BridgeMetrics metrics, @Named(NcpCallThreads.NAME) ExecutorService ncpCalls, Ticker ticker,
            EventFactory events, Clock clock, BridgeConfig config, CredentialsStore credentials) {
        this.rules = rules;
        this.lookup = lookup;
        this.calls = calls;
        this.gate = gate;
        this.metrics = metrics;
        this.ncpCalls = ncpCalls;
        this.ticker = ticker;
        this.events = events;
        this.clock = clock;
        this.tracking = config.completion().enabled();
        this.credentials = credentials;
    }

    /**
     * The credentials of the claimed request's account, for the next steps: null when the account is not known, and
     * the request then fails without a call.
     */
    public NcpCredentials accountOf(ClaimedRequest claimed) {
        return credentials.find(claimed.request().account()).orElse(null);
    }

    /** The request's attempts begin (in {@link #ATTEMPTS}): their first step. */
    public CreateAttempts.Step start(@ExchangeProperty(CLAIMED) ClaimedRequest claimed,
            @ExchangeProperty(ACCOUNT) NcpCredentials account, Exchange exchange) {
        SnapshotRequest request = claimed.request();
        if (account == null) {
            return new CreateAttempts.Finish(new CreateResult.Refused(0, new NcpError(null, null,
                    CredentialsStore.unknownAccount(request.account()), ErrorCategory.AUTH)));
        }
        CreateAttempts attempts = new CreateAttempts(rules, request.toOrder(), claimed.uncertainSince() != null,
                ticker.nanos());
        exchange.setProperty(ATTEMPTS, attempts);
        return attempts.first(ticker.nanos());
    }

    /** A wait is over. */
    public CreateAttempts.Step waited(@ExchangeProperty(ATTEMPTS) CreateAttempts attempts) {
        return attempts.waited(ticker.nanos());
    }

    /**
     * Looks the snapshot up on an NCP call thread (NCP's list is paged, each page a call through the gate); completes
     * with the next step.
     */
    public CompletableFuture<CreateAttempts.Step> lookUp(CreateAttempts.LookUp step,
            @ExchangeProperty(ACCOUNT) NcpCredentials account, @ExchangeProperty(ATTEMPTS) CreateAttempts attempts) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return attempts.lookedUp(lookup.find(step.order(), account), ticker.nanos());
            } catch (NcpLookupException e) {
                return attempts.lookUpFailed(e, ticker.nanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        }, ncpCalls);
    }

    /**
     * Completes when the gate lets the create through, on an NCP call thread; no thread waits meanwhile. The place
     * it holds at the gate must be {@linkplain NcpGate#release() released} after the call.
     */
    public CompletableFuture<CreateAttempts.Send> letThrough(CreateAttempts.Send step) {
        long asked = ticker.nanos();
        CompletableFuture<CreateAttempts.Send> through = new CompletableFuture<>();
        gate.admit().whenComplete((ignored, error) -> {
            try {
                ncpCalls.execute(() -> {
                    long waited = ticker.nanos() - asked;
                    if (waited > 5_000_000) {
                        metrics.waitedForRateLimit(Duration.ofNanos(waited));
                    }
                    through.complete(step);
                });
            } catch (RejectedExecutionException stopping) {
                gate.release();
                through.completeExceptionally(stopping);
            }
        });
        return through;
    }

    /** The create, signed now (after any wait at the gate, so its time stamp is fresh). */
    public SignedCall sign(CreateAttempts.Send step, @ExchangeProperty(ACCOUNT) NcpCredentials account) {
        if (step.retry()) {
            metrics.retried();
        }
        return calls.prepare(step.platform(), NcpCallFactory.CREATE_SNAPSHOT, step.parameters(), account);
    }

    /** NCP answered the create. */
    public CreateAttempts.Step answered(HttpReply reply, @ExchangeProperty(ATTEMPTS) CreateAttempts attempts) {
        return attempts.answered(reply, ticker.nanos());
    }

    /** No answer came to the create. */
    public CreateAttempts.Step noAnswer(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure,
            @ExchangeProperty(ATTEMPTS) CreateAttempts attempts) {
        return attempts.noAnswer(failure, ticker.nanos());
    }

    /**
     * The request's event, from what came of its attempts; {@link RequestNotFinished} when nothing can be decided. What
     * the store is to keep of it goes with it ({@link RequestClaims#OUTCOME}).
     */
    public BridgeEvent outcome(CreateAttempts.Finish finish, @ExchangeProperty(CLAIMED) ClaimedRequest claimed,
            Exchange exchange) {
        SnapshotRequest request = claimed.request();
        CreateResult result = finish.result();
        int attempts = claimed.earlierAttempts() + result.attempts();
        BridgeEvent event;
        RecordedOutcome recorded;
        if (result instanceof CreateResult.Created created) {
            NcpSnapshot snapshot = created.answer().snapshot();
            // followed until usable, once the created event is out (see CompletionTracker)
            String tracked = tracking && snapshot.instanceNo() != null
                    ? new TrackedSnapshot(request.requestId(), snapshot.instanceNo(), request.blockStorageInstanceNo(),
                            request.account(), request.platform(), request.regionCode(), clock.instant(),
                            EventFactory.snapshot(snapshot)).toJson()
                    : null;
            event = events.created(request, attempts, created.answer(), tracked, claimed.round());
            recorded = new RecordedOutcome(RecordedOutcome.CREATED, event.id(), attempts, snapshot.instanceNo(),
                    snapshot.statusCode(), null, false, null, null, claimed.round());
        } else {
            NcpError error;
            boolean retryable;
            if (result instanceof CreateResult.Refused refused) {
                error = refused.error();
                retryable = error.retryable();
            } else {
                CreateResult.Unknown unknown = (CreateResult.Unknown) result;
                if (unknown.attempts() == 0) {
                    // only an earlier run may have sent it, and NCP cannot say now whether it did: decide nothing yet
                    throw new RequestNotFinished("requestId " + request.requestId() + ": NCP cannot be asked now whether"
                            + " an earlier attempt made the snapshot (" + unknown.error().returnMessage() + ")");
                }
                error = unknown.error();
                retryable = false;
            }
            event = events.failed(request, attempts, error, retryable, claimed.round());
            recorded = new RecordedOutcome(RecordedOutcome.FAILED, event.id(), attempts, null, null,
                    EventFactory.error(error, retryable).toString(), retryable, null, null, claimed.round());
        }
        exchange.setProperty(RequestClaims.OUTCOME, recorded);
        return event;
    }
}
