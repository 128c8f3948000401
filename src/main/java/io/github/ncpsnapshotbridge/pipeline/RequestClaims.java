package io.github.ncpsnapshotbridge.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.support.SynchronizationAdapter;
import org.jboss.logging.Logger;

import io.github.ncpsnapshotbridge.settings.BridgeConfig;
import io.github.ncpsnapshotbridge.idempotency.ClaimResult;
import io.github.ncpsnapshotbridge.idempotency.IdempotencyStore;
import io.github.ncpsnapshotbridge.idempotency.RecordedOutcome;
import io.github.ncpsnapshotbridge.idempotency.RequestRecord;
import io.github.ncpsnapshotbridge.metrics.BridgeMetrics;
import io.github.ncpsnapshotbridge.ncp.Ticker;

/**
 * Decides, per requestId, whether this instance may work on a request, and keeps its claims alive while it does.
 * Camel's idempotentConsumer EIP knows "seen" or "not seen"; it has no owner, no lease and no "in progress elsewhere,
 * come back later", which exactly-once over replicas needs, so the decision is here.
 * <ul>
 * <li>New requestId: claimed for this instance (journaled, with the request) before NCP is called.</li>
 * <li>Done: a {@code duplicate} event.</li>
 * <li>In flight with a live claim of another owner, or another copy here: {@link RequestNotFinished}; the input is
 * not acknowledged, and the pipeline tries again later, until the claim is done (then {@code duplicate}) or expired.</li>
 * <li>In flight with an expired claim (or one of a process that is gone): taken over; NCP is looked up first.</li>
 * </ul>
 */
@ApplicationScoped
public class RequestClaims {

    private static final Logger LOG = Logger.getLogger(RequestClaims.class);

    /**
     * Exchange property (Boolean) of an intake that acknowledges its inputs in batches: the outcomes of its requests
     * are recorded without a disk force each, and it calls {@link #syncOutcomes()} before each acknowledgement.
     */
    public static final String OUTCOMES_SYNCED_BY_INTAKE = "bridgeOutcomesSyncedByIntake";
    /** Exchange property: what the store is to keep of the request's outcome ({@link RecordedOutcome}). */
    public static final String OUTCOME = "bridgeRecordedOutcome";

    private record Held(String exchangeId, ClaimedRequest claim) {
    }

    private final IdempotencyStore store;
    /** Where a request goes on once the store has made its claim or outcome durable: the workers. */
    private final Executor continuations;
    private final EventFactory events;
    private final Clock clock;
    /** Monotonic time: this instance's own reckoning of its leases, which a wall-clock step cannot stretch. */
    private final Ticker ticker;
    private final Duration lease;
    /** The longest a create can take once sent: the claim must outlast it (SettingsCheck: lease > this). */
    private final Duration callDeadline;
    private final String owner;
    /** Claims this instance works on right now, by requestId. */
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    public RequestClaims(IdempotencyStore store, EventFactory events, Clock clock, Ticker ticker, BridgeConfig config,
            BridgeMetrics metrics, @Named(WorkerPool.NAME) ExecutorService continuations) {
        this.store = store;
        this.continuations = continuations;
        this.events = events;
        this.clock = clock;
        this.ticker = ticker;
        this.lease = config.idempotency().lease();
        this.callDeadline = config.ncp().connectTimeout().plus(config.ncp().readTimeout());
        this.owner = config.idempotency().instanceId().filter(s -> !s.isBlank()).orElseGet(RequestClaims::newInstanceId);
        metrics.staleClaims(this::staleClaims);
        LOG.infof("Instance id (owner of this process's claims): %s", owner);
    }

    /** The host name (the pod's, in Kubernetes) and a random suffix: a restarted process is a new owner. */
    static String newInstanceId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "bridge");
        byte[] suffix = new byte[3];
        ThreadLocalRandom.current().nextBytes(suffix);
        return host + "-" + HexFormat.of().formatHex(suffix);
    }

    public String owner() {
        return owner;
    }

    /**
     * Completes with a {@link ClaimedRequest} to create, or the {@code duplicate} event ({@link BridgeEvent}) of a
     * requestId that has its outcome; fails with {@link RequestNotFinished} while another owner holds it. A new claim
     * completes once it is durable, on a worker: the thread that asked is not held meanwhile.
     */
    public CompletableFuture<Object> claim(SnapshotRequest request, Exchange exchange) {
        String requestId = request.requestId();
        Held mine = new Held(exchange.getExchangeId(), null);
        Held current = held.putIfAbsent(requestId, mine);
        if (current != null && !current.exchangeId().equals(exchange.getExchangeId())) {
            return CompletableFuture.failedFuture(
                    new RequestNotFinished("requestId " + requestId + " is in progress here; waiting for it"));
        }
        if (current == null) {
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    held.remove(requestId);
                }
            });
        }
        long leaseEndNanos = ticker.nanos() + lease.toNanos();
        Instant leaseUntil = clock.instant().plus(lease);
        return onWorker(() -> store.claimAsync(requestId, owner, leaseUntil, request.toJournal()),
                result -> decided(request, exchange, result, leaseUntil, leaseEndNanos), requestId);
    }

    /** What a claim's result means for the request on {@code exchange}. */
    private Object decided(SnapshotRequest request, Exchange exchange, ClaimResult result, Instant leaseUntil,
            long leaseEndNanos) {
        String requestId = request.requestId();
        switch (result.kind()) {
            case DONE:
                held.remove(requestId);
                IntakeItem input = exchange.getProperty(IntakeItem.PROPERTY, IntakeItem.class);
                return events.duplicate(request, RecordedOutcome.parse(result.record().outcome()),
                        input == null ? null : input.derivedRequestId());
            case HELD:
                held.remove(requestId);
                throw new RequestNotFinished("requestId " + requestId + " is in progress at " + result.record().owner()
                        + " (lease until " + result.record().leaseUntil() + "); waiting for it");
            default:
                ClaimedRequest claimed = new ClaimedRequest(request, result.uncertainSince(), leaseUntil, leaseEndNanos,
                        previousRound(result));
                held.put(requestId, new Held(exchange.getExchangeId(), claimed));
                if (result.kind() == ClaimResult.Kind.TAKEN_OVER) {
                    LOG.infof("requestId=%s: took over the claim of %s; looking it up at NCP before anything else",
                            requestId, result.record() == null ? "an earlier run" : "an earlier owner");
                }
                return claimed;
        }
    }

    /**
     * {@code then} applied to what the store's {@code call} completes with: at once when it is complete already,
     * otherwise on a worker (never on the store's own thread). A failure of the store, thrown or completed, lets go of
     * {@code requestId}'s reservation.
     */
    private <T, R> CompletableFuture<R> onWorker(Supplier<CompletableFuture<T>> call, Function<T, R> then,
            String requestId) {
        CompletableFuture<T> stage;
        try {
            stage = call.get();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<R> result = new CompletableFuture<>();
        BiConsumer<T, Throwable> finish = (value, error) -> {
            if (error != null) {
                if (requestId != null) {
                    held.remove(requestId);
                }
                result.completeExceptionally(error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
                return;
            }
            try {
                result.complete(then.apply(value));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        };
        if (stage.isDone()) {
            stage.whenComplete(finish);
        } else {
            stage.whenComplete((value, error) -> {
                try {
                    continuations.execute(() -> finish.accept(value, error));
                } catch (RejectedExecutionException stopping) {
                    // the workers are shutting down: the request ends unfinished, its input unacknowledged
                    finish.accept(null, stopping);
                }
            });
        }
        return result;
    }

    /**
     * Claims every orphan this instance can take over (claims of owners that are gone or whose lease ran out), to be
     * finished from the journaled request even if its input never comes back.
     */
    public List<ClaimedRequest> orphans(Exchange exchange) {
        List<ClaimedRequest> adopted = new ArrayList<>();
        Instant now = clock.instant();
        for (RequestRecord record : List.copyOf(store.inFlight())) {
            if (held.containsKey(record.requestId()) || record.payload() == null
                    || owner.equals(record.owner()) && record.leaseUntil().isAfter(now)) {
                continue;
            }
            Held reservation = new Held("orphan:" + record.requestId(), null);
            if (held.putIfAbsent(record.requestId(), reservation) != null) {
                continue;
            }
            long leaseEndNanos = ticker.nanos() + lease.toNanos();
            Instant leaseUntil = clock.instant().plus(lease);
            ClaimResult result = claimReserved(record.requestId(), leaseUntil, null);
            if (result.kind() != ClaimResult.Kind.TAKEN_OVER) {
                held.remove(record.requestId());
                continue;
            }
            ClaimedRequest claimed = new ClaimedRequest(SnapshotRequest.fromJournal(result.record().payload()),
                    result.uncertainSince(), leaseUntil, leaseEndNanos, previousRound(result));
            held.put(record.requestId(), new Held(reservation.exchangeId(), claimed));
            adopted.add(claimed);
        }
        if (!adopted.isEmpty()) {
            LOG.infof("Took over %d orphaned request(s) (their owner stopped); finishing them now", adopted.size());
        }
        return adopted;
    }

    /**
     * What {@link #accept} made of a caller's requests: for each it claimed (in order), what to go on with: a
     * {@link ClaimedRequest} to create, or the {@code duplicate} event of a requestId that has its outcome (a request
     * in progress here or elsewhere needs nothing: its owner publishes its outcome). {@code failure}: why a claim
     * could not be made now (the store down, the journal unwritable), or null; the claims made stand all the same.
     */
    public record Acceptance(List<Object> next, Throwable failure) {
    }

    /**
     * For an intake that answers its caller once its requests are handed over (HTTP): claims each request for this
     * instance, journaled, and completes once every claim is durable or has failed. {@code inputs}: each request's
     * input identity (its derived request id). A claimed request that this process does not finish (it stops) is an
     * orphan, finished by whichever instance takes it over.
     */
    public CompletableFuture<Acceptance> accept(List<SnapshotRequest> requests, List<String> inputs) {
        List<Object> next = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        CompletableFuture<?>[] claims = new CompletableFuture<?>[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            claims[i] = acceptOne(requests.get(i), inputs.get(i)).whenComplete((value, failure) -> {
                synchronized (next) {
                    if (failure != null) {
                        failures.add(failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure);
                    } else if (value != null) {
                        next.add(value);
                    }
                }
            });
        }
        return CompletableFuture.allOf(claims).handle((ignored, error) -> {
            synchronized (next) {
                return new Acceptance(List.copyOf(next), failures.isEmpty() ? null : failures.get(0));
            }
        });
    }

    /** {@link #accept}, waited for: for an intake whose caller waits for the answer on this thread anyway. */
    public Acceptance acceptNow(List<SnapshotRequest> requests, List<String> inputs) {
        return accept(requests, inputs).join();
    }

    private CompletableFuture<Object> acceptOne(SnapshotRequest request, String input) {
        String requestId = request.requestId();
        Held reservation = new Held("accepted:" + requestId, null);
        if (held.putIfAbsent(requestId, reservation) != null) {
            return CompletableFuture.completedFuture(null);
        }
        long leaseEndNanos = ticker.nanos() + lease.toNanos();
        Instant leaseUntil = clock.instant().plus(lease);
        CompletableFuture<ClaimResult> claim;
        try {
            claim = store.claimAsync(requestId, owner, leaseUntil, request.toJournal());
        } catch (RuntimeException e) {
            claim = CompletableFuture.failedFuture(e);
        }
        return claim.handle((result, failure) -> {
            if (failure != null) {
                held.remove(requestId);
                throw failure instanceof CompletionException c && c.getCause() != null ? c : new CompletionException(failure);
            }
            switch (result.kind()) {
                case DONE:
                    held.remove(requestId);
                    return events.duplicate(request, RecordedOutcome.parse(result.record().outcome()), input);
                case HELD:
                    held.remove(requestId);
                    return null;
                default:
                    ClaimedRequest claimed = new ClaimedRequest(request, result.uncertainSince(), leaseUntil,
                            leaseEndNanos, previousRound(result));
                    held.put(requestId, new Held(reservation.exchangeId(), claimed));
                    return claimed;
            }
        });
    }

    /** The outcome of the round before the one claimed (a claim carries it), or null. */
    private static RecordedOutcome previousRound(ClaimResult result) {
        return result.record() == null ? null : RecordedOutcome.parse(result.record().outcome());
    }

    /** Claims a requestId reserved here in the store; the reservation goes if the store cannot answer. */
    private ClaimResult claimReserved(String requestId, Instant leaseUntil, String payload) {
        try {
            return store.claim(requestId, owner, leaseUntil, payload);
        } catch (RuntimeException e) {
            held.remove(requestId);
            throw e;
        }
    }

    /** For an orphan's own exchange: its claim is let go when the exchange ends. */
    public void track(ClaimedRequest claimed, Exchange exchange) {
        String requestId = claimed.request().requestId();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                held.remove(requestId);
            }
        });
    }

    /**
     * Just before a create goes to NCP (once the gate let it through): the claim must still be this instance's, with
     * lease enough left for the whole call; otherwise it is renewed first, and a claim that cannot be renewed is lost.
     */
    public void confirm(@ExchangeProperty(SnapshotCreation.CLAIMED) ClaimedRequest claimed) {
        if (claimed.isLost()) {
            throw new ClaimLost(claimed.request().requestId());
        }
        Instant now = clock.instant();
        Duration needed = callDeadline.compareTo(lease.dividedBy(2)) > 0 ? callDeadline : lease.dividedBy(2);
        if (claimed.leaseLeft(now, ticker.nanos()).compareTo(needed) < 0) {
            renew(claimed, now);
            if (claimed.isLost()) {
                throw new ClaimLost(claimed.request().requestId());
            }
        }
    }

    /**
     * The claimed request's creates are about to leave: its record says so from its next renewal on, for status
     * queries (no write of its own: a request answered before its lease needs renewing goes from accepted to done).
     */
    public void sending(@ExchangeProperty(SnapshotCreation.CLAIMED) ClaimedRequest claimed) {
        claimed.sending();
    }

    /** Renews the claims this instance works on before their leases run short (every third of the lease). */
    public void renewHeld() {
        Instant now = clock.instant();
        for (Held h : List.copyOf(held.values())) {
            ClaimedRequest claimed = h.claim();
            if (claimed != null && !claimed.isLost()
                    && claimed.leaseLeft(now, ticker.nanos()).compareTo(lease.multipliedBy(2).dividedBy(3)) < 0) {
                try {
                    renew(claimed, now);
                } catch (RuntimeException e) {
                    LOG.warnf("requestId=%s: cannot renew its claim now (%s)", claimed.request().requestId(), e.toString());
                }
            }
        }
    }

    private void renew(ClaimedRequest claimed, Instant now) {
        long endNanos = ticker.nanos() + lease.toNanos();
        Instant until = now.plus(lease);
        if (store.renew(claimed.request().requestId(), owner, until, claimed.isSending())) {
            claimed.renewed(until, endNanos);
        } else {
            claimed.lost();
        }
    }

    /**
     * After publishing: a created or failed outcome closes the requestId for good. Completes once that is durable (on
     * a worker, without holding the thread that asked), unless the intake set {@link #OUTCOMES_SYNCED_BY_INTAKE}: it
     * then calls {@link #syncOutcomes()} before it acknowledges, and this completes at once.
     */
    public CompletableFuture<Void> recordOutcome(Exchange exchange) {
        BridgeEvent event = exchange.getProperty(BridgeEvent.PROPERTY, BridgeEvent.class);
        if (event == null || event.type() != EventType.CREATED && event.type() != EventType.FAILED) {
            return CompletableFuture.completedFuture(null);
        }
        RecordedOutcome recorded = exchange.getProperty(OUTCOME, RecordedOutcome.class);
        // SnapshotCreation.outcome says what to keep; without it, the type alone (read as an outcome with nothing more known)
        String outcome = recorded != null ? recorded.toJson() : event.type().outcome();
        if (exchange.getProperty(OUTCOMES_SYNCED_BY_INTAKE, false, Boolean.class)) {
            try {
                store.doneUnsynced(event.requestId(), owner, outcome, event.tracking());
                return CompletableFuture.completedFuture(null);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return onWorker(() -> store.doneAsync(event.requestId(), owner, outcome, event.tracking()),
                ignored -> null, null);
    }

    /** Makes every outcome recorded so far durable (one disk force for all of them); before an intake acknowledges. */
    public void syncOutcomes() {
        store.sync();
    }

    /** In-flight claims whose lease has run out: orphans, or owners that stopped renewing. */
    private int staleClaims() {
        Instant now = clock.instant();
        return (int) store.inFlight().stream().filter(r -> r.leaseUntil() == null || r.leaseUntil().isBefore(now)).count();
    }
}
