package io.github.ncpsnapshotbridge.pipeline;

import java.time.Duration;
import java.time.Instant;

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
    private volatile Instant leaseUntil;
    private volatile long leaseEndNanos;
    private volatile boolean lost;

    public ClaimedRequest(SnapshotRequest request, Instant uncertainSince, Instant leaseUntil, long leaseEndNanos) {
        this.request = request;
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
}
