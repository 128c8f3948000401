package io.github.ncpsnapshotbridge.idempotency;

import java.time.Instant;

/**
 * What the bridge remembers of one requestId. {@code IN_FLIGHT}: {@code owner} (an instance id) works on it and has
 * it until {@code leaseUntil}, renewing that while it works; a create call may have reached NCP. {@code DONE}: its
 * outcome event is published; final. {@code payload} is the request as journaled, so that an orphaned claim can be
 * finished even when its input never comes back. {@code outcome}: on a {@code DONE} record, what it came to (a
 * {@link RecordedOutcome}); on an {@code IN_FLIGHT} one, the outcome of the round before, if any. {@code tracking}: on
 * a {@code DONE} record, the created snapshot whose completion is still to be reported (opaque to the store); null
 * once it is, or when there is none. {@code sending}: on an {@code IN_FLIGHT} record, its owner has begun sending
 * creates (for status queries only: no decision rests on it).
 */
public record RequestRecord(String requestId, State state, String owner, Instant leaseUntil, String payload,
        String outcome, Instant at, String tracking, boolean sending) {

    public RequestRecord(String requestId, State state, String owner, Instant leaseUntil, String payload,
            String outcome, Instant at, String tracking) {
        this(requestId, state, owner, leaseUntil, payload, outcome, at, tracking, false);
    }

    public RequestRecord(String requestId, State state, String owner, Instant leaseUntil, String payload,
            String outcome, Instant at) {
        this(requestId, state, owner, leaseUntil, payload, outcome, at, null, false);
    }

    /** The same claim, renewed until {@code leaseUntil} at {@code now}; {@code sending}: its owner now sends creates. */
    public RequestRecord renewed(Instant leaseUntil, Instant now, boolean sending) {
        return new RequestRecord(requestId, state, owner, leaseUntil, payload, outcome, now, tracking,
                this.sending || sending);
    }

    /** The same record with its completion reported; {@code outcome} (null: kept) is what it now came to. */
    public RequestRecord untracked(Instant now, String outcome) {
        return new RequestRecord(requestId, state, owner, leaseUntil, payload, outcome == null ? this.outcome : outcome,
                now, null);
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
            if (incoming.state() == State.IN_FLIGHT) {
                // a new round after a retryable failure: its claim names the outcome it reopens (a renewal of the
                // round before, written late, does not)
                RecordedOutcome closed = RecordedOutcome.parse(outcome);
                return closed != null && closed.reopens() && outcome.equals(incoming.outcome());
            }
            return tracking != null && incoming.tracking() == null;
        }
        if (incoming.state() == State.DONE || owner == null || owner.equals(incoming.owner())) {
            return true;
        }
        return !incoming.at().isBefore(leaseUntil);
    }
}
