package io.github.ncpsnapshotbridge.pipeline;

import java.time.Instant;

/**
 * A request this instance owns the claim of, and may create. {@code uncertainSince}: null when nobody ever sent it;
 * otherwise an earlier owner (or run) may have sent a create until then, so NCP is looked up first.
 */
public final class ClaimedRequest {

    private final SnapshotRequest request;
    private final Instant uncertainSince;
    private volatile Instant leaseUntil;
    private volatile boolean lost;

    public ClaimedRequest(SnapshotRequest request, Instant uncertainSince, Instant leaseUntil) {
        this.request = request;
        this.uncertainSince = uncertainSince;
        this.leaseUntil = leaseUntil;
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

    void renewed(Instant until) {
        leaseUntil = until;
    }

    void lost() {
        lost = true;
    }

    boolean isLost() {
        return lost;
    }
}
