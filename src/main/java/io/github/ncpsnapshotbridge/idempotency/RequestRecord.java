package io.github.ncpsnapshotbridge.idempotency;

import java.time.Instant;

/**
 * What the bridge remembers of one requestId. {@code IN_FLIGHT}: {@code owner} (an instance id) works on it and has
 * it until {@code leaseUntil}, renewing that while it works; a create call may have reached NCP. {@code DONE}: its
 * outcome event is published; final. {@code payload} is the request as journaled, so that an orphaned claim can be
 * finished even when its input never comes back. {@code tracking}: on a {@code DONE} record, the created snapshot
 * whose completion is still to be reported (opaque to the store); null once it is, or when there is none.
 */
public record RequestRecord(String requestId, State state, String owner, Instant leaseUntil, String payload,
        String outcome, Instant at, String tracking) {

    public RequestRecord(String requestId, State state, String owner, Instant leaseUntil, String payload,
            String outcome, Instant at) {
        this(requestId, state, owner, leaseUntil, payload, outcome, at, null);
    }

    /** The same record with its completion reported. */
    public RequestRecord untracked(Instant now) {
        return new RequestRecord(requestId, state, owner, leaseUntil, payload, outcome, now, null);
    }

    public boolean tracked() {
        return state == State.DONE && tracking != null;
    }

    public enum State {
        IN_FLIGHT,
        DONE
    }

    public boolean inFlight() {
        return state == State.IN_FLIGHT;
    }

    /**
     * Whether {@code incoming}, written after this record, replaces it. Decided from the two records alone, so every
     * replica reading the same log agrees: {@code DONE} is final, except that a tracked {@code DONE} gives way to the
     * same outcome untracked (its completion reported); a claim of another owner wins only once this claim's lease
     * has run out at the moment it was written; the owner's own writes (renewals, its outcome) win.
     */
    public boolean supersededBy(RequestRecord incoming, java.time.Duration retention) {
        if (at.plus(retention).isBefore(incoming.at())) {
            return true;
        }
        if (state == State.DONE) {
            return tracking != null && incoming.state() == State.DONE && incoming.tracking() == null;
        }
        if (incoming.state() == State.DONE || owner == null || owner.equals(incoming.owner())) {
            return true;
        }
        return !incoming.at().isBefore(leaseUntil);
    }
}
