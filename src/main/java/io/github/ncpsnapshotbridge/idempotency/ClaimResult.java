package io.github.ncpsnapshotbridge.idempotency;

import java.time.Instant;

/**
 * The answer to a claim. {@link Kind#NEW}: the caller owns a requestId nobody had. {@link Kind#TAKEN_OVER}: the caller
 * now owns a claim that was in flight (its owner gone, its lease run out, or the caller's own from before); an earlier
 * create may have reached NCP up to {@code uncertainSince}, and {@code record} holds the journaled request.
 * {@link Kind#HELD}: another owner works on it right now. {@link Kind#DONE}: its outcome is published.
 */
public record ClaimResult(Kind kind, RequestRecord record, Instant uncertainSince) {

    public enum Kind {
        NEW,
        TAKEN_OVER,
        HELD,
        DONE
    }

    public boolean owned() {
        return kind == Kind.NEW || kind == Kind.TAKEN_OVER;
    }

    /**
     * What a claim by {@code owner} at {@code now} comes to, given the record found. {@code otherOwnersGone}: the
     * store knows that no other owner can still be working (the file store holds the journal's only lock).
     */
    static Kind decide(RequestRecord existing, String owner, java.time.Instant now, boolean otherOwnersGone) {
        if (existing == null) {
            return Kind.NEW;
        }
        if (existing.state() == RequestRecord.State.DONE) {
            // a retryable failure does not close the requestId: sent again, it is attempted again (a new round)
            RecordedOutcome outcome = RecordedOutcome.parse(existing.outcome());
            return outcome != null && outcome.reopens() ? Kind.NEW : Kind.DONE;
        }
        if (owner.equals(existing.owner()) || otherOwnersGone || !now.isBefore(existing.leaseUntil())) {
            return Kind.TAKEN_OVER;
        }
        return Kind.HELD;
    }

    /**
     * An earlier owner may have sent a create until its lease ran out, and not after now; null when nothing was in
     * flight (a new requestId, or a new round after a retryable failure).
     */
    static Instant uncertainSince(RequestRecord existing, Instant now) {
        if (existing == null || !existing.inFlight()) {
            return null;
        }
        return existing.leaseUntil() == null || existing.leaseUntil().isAfter(now) ? now : existing.leaseUntil();
    }
}
