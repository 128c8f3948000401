package io.github.ncpsnapshotbridge.ncp;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The rules for creating one request's snapshot at NCP, as a state machine: told what happened (an answer, no answer,
 * a look-up, a wait over), it returns the next {@link Step}: send the create, look the snapshot up, wait, or finish
 * with a {@link CreateResult}. It holds no thread, never sleeps and knows nothing of how calls travel; time is given to
 * it, in nanoseconds of a monotonic clock. NCP has no idempotency token, so one rule here keeps a retry from making a
 * second snapshot:
 * <ul>
 * <li>An attempt whose effect is unknown (no answer, a connection broken after sending, a 5xx other than NCP's own
 * "try again later", a 2xx that cannot be read) is <em>uncertain</em>. After it, a create is sent again only once the
 * snapshot has stayed absent from look-ups (exact by {@link SnapshotMarker}) spanning at least the settle time since
 * that attempt; a snapshot found is the result.</li>
 * <li>Certain failures (refused connections, 429, "try again later") are retried with backoff; refusals (4xx) never
 * are.</li>
 * <li>While NCP is in an outage ({@link NcpGate}), retries go on past the attempt limit until the outage tolerance
 * has passed.</li>
 * </ul>
 * One instance per request, used by one step at a time.
 */
public final class CreateAttempts {

    /** What to do next. */
    public sealed interface Step {
    }

    /** Sign and send a create with these parameters; {@code retry}: an earlier create of this request failed. */
    public record Send(Platform platform, Map<String, String> parameters, boolean retry) implements Step {
    }

    /** Look the snapshot up at NCP ({@link SnapshotLookup}), then tell {@link #lookedUp} or {@link #lookUpFailed}. */
    public record LookUp(SnapshotOrder order) implements Step {
    }

    /** Wait this long, holding nothing, then tell {@link #waited}. */
    public record Wait(Duration delay) implements Step {
        public long millis() {
            return Math.max(0, delay.toMillis());
        }
    }

    /** Done: what came of the request. */
    public record Finish(CreateResult result) implements Step {
    }

    /** The settings the rules read: the same for every request. */
    public record Rules(RetryPolicy policy, Duration outageTolerance, Duration settle, NcpGate gate,
            NcpResponseParser parser) {
    }

    private enum After {
        SEND, LOOK_UP
    }

    private final Rules rules;
    private final SnapshotOrder order;
    private int attempts;
    /** Create calls and failed look-ups both use up the retry budget. */
    private int tries;
    private NcpError last;
    /** Since when (monotonic) an attempt of unknown effect waits to be settled by look-ups; null when none does. */
    private Long uncertainSince;
    private Duration retryAfter;
    /** While settling: a look-up that begins at or after this moment and finds nothing proves nothing was made. */
    private long settledAt;
    private long lookUpAsked;
    private int lookUpFailures;
    private After afterWait;

    /**
     * @param mayHaveBeenSent false for a request never sent; true when an earlier attempt (of an earlier run, say)
     *        may have been: NCP is looked up first, and the settle time runs from {@code nowNanos}, on this process's
     *        monotonic clock (a wall-clock time from another process or before a clock step cannot shorten it)
     */
    public CreateAttempts(Rules rules, SnapshotOrder order, boolean mayHaveBeenSent, long nowNanos) {
        this.rules = rules;
        this.order = order;
        this.uncertainSince = mayHaveBeenSent ? nowNanos : null;
    }

    /** The first step. */
    public Step first(long nowNanos) {
        return uncertainSince != null ? startSettling(nowNanos) : send();
    }

    /** Create calls sent so far. */
    public int attempts() {
        return attempts;
    }

    /** NCP answered the create (whatever the status). */
    public Step answered(HttpReply reply, long nowNanos) {
        NcpOutcome outcome = rules.parser().parseCreateSnapshot(order.platform(), reply);
        if (outcome instanceof NcpOutcome.Created created) {
            rules.gate().succeeded();
            return new Finish(new CreateResult.Created(attempts, created, false));
        }
        last = ((NcpOutcome.Failed) outcome).error();
        uncertainSince = isUncertain(last) ? nowNanos : null;
        if (last.retryable()) {
            rules.gate().failedRetryably();
            if (last.category() == ErrorCategory.THROTTLED) {
                retryAfter = retryAfter(reply.retryAfter()).orElse(rules.policy().delayBefore(tries + 1, null));
                rules.gate().throttled(retryAfter);
            }
        } else {
            // NCP answered: it is up, even if it said no
            rules.gate().succeeded();
        }
        return afterAttempt(nowNanos);
    }

    /** No answer came to the create: {@code failure} says why (timeout, refused or broken connection). */
    public Step noAnswer(Throwable failure, long nowNanos) {
        last = errorOf(failure);
        // a refused or unresolvable connection never reached NCP; anything else might have
        Throwable root = rootCause(failure);
        uncertainSince = root instanceof ConnectException || root instanceof UnknownHostException ? null : nowNanos;
        rules.gate().failedRetryably();
        return afterAttempt(nowNanos);
    }

    /** A look-up asked for by {@link LookUp} found this (empty: not on NCP's list). */
    public Step lookedUp(Optional<NcpSnapshot> found, long nowNanos) {
        lookUpFailures = 0;
        if (found.isPresent()) {
            return new Finish(new CreateResult.Created(attempts, new NcpOutcome.Created(null, "0",
                    "found at NCP after an attempt whose answer was lost", found.get()), true));
        }
        if (lookUpAsked - settledAt >= 0) {
            return settledAbsent();
        }
        long wait = Math.min(lookUpInterval().toNanos(), settledAt - nowNanos);
        return waitThen(After.LOOK_UP, Duration.ofNanos(Math.max(Duration.ofMillis(50).toNanos(), wait)));
    }

    /** A look-up asked for by {@link LookUp} could not be made or read. */
    public Step lookUpFailed(NcpLookupException failure, long nowNanos) {
        NcpError error = new NcpError(null, null, "cannot look the snapshot up at NCP: " + failure.getMessage(),
                ErrorCategory.SERVER);
        lookUpFailures++;
        if (!failure.retryable() || !mayRetry(error, lookUpFailures)) {
            // nobody can say whether the snapshot was made
            return new Finish(new CreateResult.Unknown(attempts, last == null ? error
                    : new NcpError(last.httpStatus(), last.returnCode(), last.returnMessage()
                            + "; whether NCP made the snapshot is unknown: " + error.returnMessage(), last.category())));
        }
        return waitThen(After.LOOK_UP, rules.policy().delayBefore(lookUpFailures + 1, null));
    }

    /** A {@link Wait} is over. */
    public Step waited(long nowNanos) {
        return afterWait == After.LOOK_UP ? lookUp(nowNanos) : send();
    }

    private Step afterAttempt(long nowNanos) {
        if (uncertainSince != null) {
            return startSettling(nowNanos);
        }
        if (!mayRetry(last, tries)) {
            return new Finish(new CreateResult.Refused(attempts, last));
        }
        return waitThen(After.SEND, rules.policy().delayBefore(tries + 1, retryAfter));
    }

    private Step startSettling(long nowNanos) {
        settledAt = uncertainSince + rules.settle().toNanos();
        lookUpFailures = 0;
        return lookUp(nowNanos);
    }

    private Step lookUp(long nowNanos) {
        lookUpAsked = nowNanos;
        return new LookUp(order);
    }

    /** Look-ups spanning the settle time found nothing: nothing was made. */
    private Step settledAbsent() {
        uncertainSince = null;
        if (last != null && !mayRetry(last, tries)) {
            // proven: nothing was made, so the failure is as retryable as its category says
            return new Finish(new CreateResult.Refused(attempts, last));
        }
        return send();
    }

    private Step send() {
        boolean retry = tries > 0;
        attempts++;
        tries++;
        retryAfter = null;
        return new Send(order.platform(), NcpCallFactory.createSnapshotParameters(order.platform(), order.volume(),
                SnapshotNames.forRequest(order.name(), order.requestId()),
                SnapshotMarker.description(order.description(), order.requestId()), order.regionCode(),
                order.snapshotTypeCode()), retry);
    }

    private Step waitThen(After next, Duration delay) {
        afterWait = next;
        return new Wait(delay);
    }

    /** How often NCP is asked while the settle time runs: four times in it, between 250 ms and 10 s apart. */
    private Duration lookUpInterval() {
        long quarter = rules.settle().toMillis() / 4;
        return Duration.ofMillis(Math.max(250, Math.min(10_000, quarter)));
    }

    private boolean mayRetry(NcpError error, int soFar) {
        if (error == null || !error.retryable()) {
            return false;
        }
        if (soFar < rules.policy().maxAttempts()) {
            return true;
        }
        return rules.gate().inOutageShorterThan(rules.outageTolerance());
    }

    /**
     * Whether an answer leaves it open that NCP made the snapshot: a 5xx other than NCP's own "try again later"
     * (1000), a gateway timeout, or a success that cannot be read.
     */
    static boolean isUncertain(NcpError error) {
        Integer status = error.httpStatus();
        if (error.category() == ErrorCategory.MALFORMED_RESPONSE || status == null || status == 408) {
            return true;
        }
        return status >= 500 && !NcpError.TRY_AGAIN_LATER.equals(error.returnCode());
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
