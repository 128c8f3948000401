package io.github.ncpsnapshotbridge.pipeline;

import java.time.Duration;
import java.time.Instant;

import io.github.ncpsnapshotbridge.idempotency.RecordedOutcome;

/**
 * A request this instance owns the claim of, and may create. {@code uncertainSince}: null when nobody ever sent it;
 * otherwise an earlier owner (or run) may have sent a create until then, so NCP is looked up first. Its lease is kept
 * twice: as the wall-clock time the store holds (what other replicas judge by), and as a monotonic deadline counted
 * from just before the claim or renewal was asked for; this instance trusts whichever ends first, so a step of its
 * own wall clock back in time cannot stretch it.
 */
public final class ClaimedRequest {

    private final SnapshotRequest request;
    private final Instant uncertainSince;
    private final RecordedOutcome previous;
    private volatile Instant leaseUntil;
    private volatile long leaseEndNanos;
    private volatile boolean lost;
    private volatile boolean sending;

    public ClaimedRequest(SnapshotRequest request, Instant uncertainSince, Instant leaseUntil, long leaseEndNanos) {
        this(request, uncertainSince, leaseUntil, leaseEndNanos, null);
    }

    /** {@code previous}: the outcome of the round before (a retryable failure), or null in the first round. */
    public ClaimedRequest(SnapshotRequest request, Instant uncertainSince, Instant leaseUntil, long leaseEndNanos,
            RecordedOutcome previous) {
        this.request = request;
        this.previous = previous;
        this.uncertainSince = uncertainSince;
        this.leaseUntil = leaseUntil;
        this.leaseEndNanos = leaseEndNanos;
    }

    public SnapshotRequest request() {
        return request;
    }

    public Instant uncertainSince() {
        return uncertainSince;
    }

    /** The outcome of the round before this one (a retryable failure), or null in the first round. */
    public RecordedOutcome previous() {
        return previous;
    }

    /** 0 in the request's first round; n in its n-th sending after a retryable failure. */
    public int round() {
        return previous == null ? 0 : previous.round() + 1;
    }

    /** Create calls made in earlier rounds. */
    public int earlierAttempts() {
        return previous == null ? 0 : previous.attempts();
    }

    Instant leaseUntil() {
        return leaseUntil;
    }

    /** The lease left: the shorter of the wall-clock and the monotonic reckoning. */
    Duration leaseLeft(Instant now, long nowNanos) {
        Duration byWallClock = Duration.between(now, leaseUntil);
        Duration byTicker = Duration.ofNanos(leaseEndNanos - nowNanos);
        return byWallClock.compareTo(byTicker) < 0 ? byWallClock : byTicker;
    }

    void renewed(Instant until, long endNanos) {
        leaseUntil = until;
        leaseEndNanos = endNanos;
    }

    void lost() {
        lost = true;
    }

    boolean isLost() {
        return lost;
    }

    /** This claim's creates begin to leave (told to the store with the next renewal). */
    void sending() {
        sending = true;
    }

    boolean isSending() {
        return sending;
    }
}
