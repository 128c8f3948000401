package io.github.ncpsnapshotbridge.ncp;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * Creates one snapshot at NCP, as reliably as NCP allows, and says what came of it. NCP has no idempotency token, so
 * this class owns the one rule that keeps a retry from making a second snapshot:
 * <ul>
 * <li>An attempt whose effect is unknown (no answer, a connection broken after sending, a 5xx other than NCP's own
 * "try again later", a 2xx that cannot be read) is <em>uncertain</em>. After it, a create is sent again only once the
 * snapshot has stayed absent from look-ups ({@link SnapshotLookup}, exact by {@link SnapshotMarker}) spanning at least
 * the settle time since that attempt; a snapshot found is the result.</li>
 * <li>Certain failures (refused connections, 429, "try again later") are retried with backoff, each attempt signed
 * afresh; refusals (4xx) never are.</li>
 * <li>While NCP is in an outage, retries go on past the attempt limit until the outage tolerance has passed.</li>
 * </ul>
 * Camel's redelivery cannot express "look up, then wait for the list to settle, then maybe send", so the steps are
 * here; a waiting request holds no thread.
 */
public class SnapshotCreator {

    private static final Logger LOG = Logger.getLogger(SnapshotCreator.class);

    private final NcpHttp http;
    private final NcpCallFactory calls;
    private final NcpResponseParser parser;
    private final NcpGate gate;
    private final SnapshotLookup lookup;
    private final RetryPolicy policy;
    private final Duration outageTolerance;
    private final Duration settle;
    private final Ticker ticker;
    private final NcpCallMetrics metrics;
    /** Where the steps of a request run once their time has come (look-ups block while NCP answers). */
    private final Executor callExecutor;

    public SnapshotCreator(NcpHttp http, NcpCallFactory calls, NcpResponseParser parser,
            NcpGate gate, SnapshotLookup lookup, RetryPolicy policy, Duration outageTolerance, Duration settle,
            Ticker ticker, NcpCallMetrics metrics, Executor callExecutor) {
        this.http = http;
        this.calls = calls;
        this.parser = parser;
        this.gate = gate;
        this.lookup = lookup;
        this.policy = policy;
        this.outageTolerance = outageTolerance;
        this.settle = settle;
        this.ticker = ticker;
        this.metrics = metrics;
        this.callExecutor = callExecutor;
    }

    /** Something to check just before each create is sent (that the caller still owns the request, say). */
    @FunctionalInterface
    public interface BeforeCreate {
        void check();
    }

    /**
     * Completes with what came of the request; fails with what {@code beforeCreate} threw (nothing was sent then). No
     * thread waits while the request does (for the gate, a back-off, the settle time or an outage): the next step is
     * scheduled, and runs on the call executor when its time comes.
     *
     * @param account the credentials of the request's account, which sign every call
     * @param uncertainSince null for a request never sent; otherwise an earlier attempt (of an earlier run, say) may
     *        have been sent: NCP is looked up first, and the settle time runs from now, on this process's monotonic
     *        clock (a wall-clock time from another process or before a clock step cannot shorten it)
     */
    public CompletableFuture<CreateResult> create(SnapshotOrder order, NcpCredentials account, Instant uncertainSince,
            BeforeCreate beforeCreate) {
        return new Run(order, account, beforeCreate, uncertainSince == null ? null : ticker.nanos()).next();
    }

    /** One request's attempts: the rules above, one step at a time, each step a future. */
    private final class Run {

        private final SnapshotOrder order;
        private final NcpCredentials account;
        private final BeforeCreate beforeCreate;
        private int attempts;
        /** Create calls and failed look-ups both use up the retry budget. */
        private int tries;
        private NcpError last;
        /** Since when (monotonic) an attempt of unknown effect waits to be settled by look-ups; null when none does. */
        private Long uncertain;
        private Duration retryAfter;

        Run(SnapshotOrder order, NcpCredentials account, BeforeCreate beforeCreate, Long uncertain) {
            this.order = order;
            this.account = account;
            this.beforeCreate = beforeCreate;
            this.uncertain = uncertain;
        }

        CompletableFuture<CreateResult> next() {
            if (uncertain != null) {
                return settle(uncertain).thenCompose(this::settled);
            }
            if (tries > 0) {
                if (!mayRetry(last, tries)) {
                    return done(new CreateResult.Refused(attempts, last));
                }
                return after(policy.delayBefore(tries + 1, retryAfter)).thenCompose(ignored -> send());
            }
            return send();
        }

        private CompletableFuture<CreateResult> settled(Settled settled) {
            if (settled.found() != null) {
                return done(new CreateResult.Created(attempts, new NcpOutcome.Created(null, "0",
                        "found at NCP after an attempt whose answer was lost", settled.found()), true));
            }
            if (settled.unreachable() != null) {
                return done(new CreateResult.Unknown(attempts, last == null ? settled.unreachable()
                        : new NcpError(last.httpStatus(), last.returnCode(), last.returnMessage()
                                + "; whether NCP made the snapshot is unknown: " + settled.unreachable().returnMessage(),
                                last.category())));
            }
            uncertain = null;
            if (last != null && !mayRetry(last, tries)) {
                // proven: nothing was made, so the failure is as retryable as its category says
                return done(new CreateResult.Refused(attempts, last));
            }
            return send();
        }

        private CompletableFuture<CreateResult> send() {
            if (tries > 0) {
                metrics.retried();
            }
            // checked now, so that a request whose claim is gone does not queue at the gate, and again once the gate
            // lets the call through, right before the bytes leave: a wait there (the ceiling, a 429's pause, this
            // process paused) may outlast the claim's lease
            try {
                beforeCreate.check();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
            attempts++;
            tries++;
            Map<String, String> parameters = NcpCallFactory.createSnapshotParameters(order.platform(), order.volume(),
                    SnapshotNames.forRequest(order.name(), order.requestId()),
                    SnapshotMarker.description(order.description(), order.requestId()), order.regionCode(),
                    order.snapshotTypeCode());
            retryAfter = null;
            return http.sendWhenLetThrough(
                    () -> calls.prepare(order.platform(), NcpCallFactory.CREATE_SNAPSHOT, parameters, account),
                    NcpCallFactory.CREATE_SNAPSHOT, () -> {
                        try {
                            beforeCreate.check();
                        } catch (RuntimeException e) {
                            throw new CheckFailed(e);
                        }
                    })
                    .handle(this::answered)
                    .thenCompose(step -> step);
        }

        private CompletableFuture<CreateResult> answered(HttpReply reply, Throwable failure) {
            if (failure != null) {
                Throwable e = unwrap(failure);
                if (e instanceof CheckFailed checkFailed) {
                    // nothing was sent: the caller's own exception, as from the first check
                    return CompletableFuture.failedFuture(checkFailed.getCause());
                }
                last = errorOf(e);
                // a refused or unresolvable connection never reached NCP; anything else might have
                Throwable root = rootCause(e);
                uncertain = root instanceof ConnectException || root instanceof UnknownHostException ? null : ticker.nanos();
                gate.failedRetryably();
                LOG.debugf("requestId=%s attempt %d: %s", order.requestId(), attempts, last.returnMessage());
                return next();
            }
            NcpOutcome outcome = parser.parseCreateSnapshot(order.platform(), reply);
            if (outcome instanceof NcpOutcome.Created created) {
                gate.succeeded();
                return done(new CreateResult.Created(attempts, created, false));
            }
            last = ((NcpOutcome.Failed) outcome).error();
            uncertain = isUncertain(last) ? ticker.nanos() : null;
            if (last.retryable()) {
                gate.failedRetryably();
                if (last.category() == ErrorCategory.THROTTLED) {
                    retryAfter = retryAfter(reply.retryAfter()).orElse(policy.delayBefore(tries + 1, null));
                    gate.throttled(retryAfter);
                }
                LOG.debugf("requestId=%s attempt %d: HTTP %d %s%s", order.requestId(), attempts, reply.status(),
                        last.category().label(), uncertain != null ? " (uncertain: looking it up before any retry)" : "");
            } else {
                // NCP answered: it is up, even if it said no
                gate.succeeded();
            }
            return next();
        }

        /**
         * Looks the snapshot up until it is found, or until a look-up that began at least the settle time after
         * {@code since} found nothing (NCP's list may lag behind a create by seconds).
         */
        private CompletableFuture<Settled> settle(long sinceNanos) {
            return lookUp(sinceNanos + settle.toNanos(), 0);
        }

        private CompletableFuture<Settled> lookUp(long untilNanos, int failures) {
            long asked = ticker.nanos();
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return lookup.find(order, account);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CompletionException(e);
                }
            }, callExecutor)
                    .handle((found, failure) -> {
                        if (failure == null) {
                            if (found.isPresent()) {
                                return CompletableFuture.completedFuture(new Settled(found.get(), null));
                            }
                            if (asked - untilNanos >= 0) {
                                return CompletableFuture.completedFuture(new Settled(null, null));
                            }
                            long wait = Math.min(lookupInterval().toMillis(), (untilNanos - ticker.nanos()) / 1_000_000);
                            return after(Duration.ofMillis(Math.max(50, wait))).thenCompose(ignored -> lookUp(untilNanos, 0));
                        }
                        Throwable e = unwrap(failure);
                        if (!(e instanceof NcpLookupException lookupFailed)) {
                            return CompletableFuture.<Settled>failedFuture(e);
                        }
                        NcpError error = new NcpError(null, null, "cannot look the snapshot up at NCP: "
                                + lookupFailed.getMessage(), ErrorCategory.SERVER);
                        LOG.debugf("requestId=%s: look-up failed (%s)", order.requestId(), lookupFailed.getMessage());
                        if (!lookupFailed.retryable() || !mayRetry(error, failures + 1)) {
                            return CompletableFuture.completedFuture(new Settled(null, error));
                        }
                        return after(policy.delayBefore(failures + 2, null))
                                .thenCompose(ignored -> lookUp(untilNanos, failures + 1));
                    })
                    .thenCompose(step -> step);
        }
    }

    /** What {@link BeforeCreate#check()} threw once the gate let a create through: it was not sent. */
    private static final class CheckFailed extends RuntimeException {
        CheckFailed(RuntimeException cause) {
            super(cause);
        }
    }

    /** What look-ups after an uncertain attempt showed: the snapshot, its settled absence, or nothing (unreachable). */
    private record Settled(NcpSnapshot found, NcpError unreachable) {
    }

    private static <T> CompletableFuture<T> done(T result) {
        return CompletableFuture.completedFuture(result);
    }

    /** Completes after {@code delay}, on the call executor; no thread waits meanwhile. */
    private CompletableFuture<Void> after(Duration delay) {
        return CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS, callExecutor));
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** How often NCP is asked while the settle time runs: four times in it, between 250 ms and 10 s apart. */
    private Duration lookupInterval() {
        long quarter = settle.toMillis() / 4;
        return Duration.ofMillis(Math.max(250, Math.min(10_000, quarter)));
    }

    /**
     * Whether an answer leaves it open that NCP made the snapshot: a 5xx other than NCP's own "try again later"
     * (1000), a gateway timeout, or a success that cannot be read.
     */
    static boolean isUncertain(NcpError error) {
        Integer status = error.httpStatus();
        if (error.category() == ErrorCategory.MALFORMED_RESPONSE) {
            return true;
        }
        if (status == null) {
            return true;
        }
        if (status == 408) {
            return true;
        }
        return status >= 500 && !NcpError.TRY_AGAIN_LATER.equals(error.returnCode());
    }

    private boolean mayRetry(NcpError last, int attempts) {
        if (last == null || !last.retryable()) {
            return false;
        }
        if (attempts < policy.maxAttempts()) {
            return true;
        }
        return gate.inOutageShorterThan(outageTolerance);
    }

    /** Retry-After in seconds (the gateway's form); an HTTP date is not expected from NCP and is ignored. */
    static Optional<Duration> retryAfter(String header) {
        if (header == null) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds >= 0 ? Optional.of(Duration.ofSeconds(Math.min(seconds, 600))) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** The category of a call that got no answer. */
    public static NcpError errorOf(Throwable cause) {
        Throwable root = rootCause(cause);
        String what = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        if (root instanceof java.net.SocketTimeoutException || root.getClass().getSimpleName().contains("Timeout")) {
            return new NcpError(null, null, "no answer from NCP in time: " + what, ErrorCategory.TIMEOUT);
        }
        return new NcpError(null, null, "cannot reach NCP: " + what, ErrorCategory.SERVER);
    }
}
