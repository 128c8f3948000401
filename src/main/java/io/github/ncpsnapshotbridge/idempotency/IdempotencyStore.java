package io.github.ncpsnapshotbridge.idempotency;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Remembers requestIds across restarts and replicas, so that no request creates a snapshot twice. Every in-flight
 * record has an owner and a lease; a claim of another owner is respected until its lease runs out.
 */
public interface IdempotencyStore {

    Optional<RequestRecord> find(String requestId);

    /**
     * Claims {@code requestId} for {@code owner} until {@code leaseUntil}, journaling {@code payload} (null: keep the
     * journaled one). The claim is durable (forced to disk, or written and read back) before this returns an owned
     * result.
     */
    ClaimResult claim(String requestId, String owner, Instant leaseUntil, String payload);

    /**
     * {@link #claim} whose wait for durability does not hold the caller's thread: the result (decided at once, other
     * requests see the claim at once) completes once the claim is durable. A store that cannot wait apart from the
     * caller's thread claims synchronously.
     */
    default CompletableFuture<ClaimResult> claimAsync(String requestId, String owner, Instant leaseUntil,
            String payload) {
        try {
            return CompletableFuture.completedFuture(claim(requestId, owner, leaseUntil, payload));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Extends the owner's lease; false when the claim is no longer the owner's (taken over, or done). */
    boolean renew(String requestId, String owner, Instant leaseUntil);

    /**
     * {@link #renew}, noting that the owner has begun sending creates ({@code sending}), so that a status query on any
     * replica says so. It rides on a renewal rather than costing a write of its own; nothing is decided on it.
     */
    default boolean renew(String requestId, String owner, Instant leaseUntil, boolean sending) {
        return renew(requestId, owner, leaseUntil);
    }

    /** Records that the request's outcome ({@code created}, {@code failed}) has been published. Final. */
    default void done(String requestId, String owner, String outcome) {
        done(requestId, owner, outcome, null);
    }

    /**
     * Records that the request's outcome has been published, with what is left to track of it ({@code tracking}, null
     * for nothing): it stays in {@link #tracked()} until {@link #untrack}.
     */
    void done(String requestId, String owner, String outcome, String tracking);

    /** {@link #done(String, String, String, String)} that completes once the outcome is durable. */
    default CompletableFuture<Void> doneAsync(String requestId, String owner, String outcome, String tracking) {
        try {
            done(requestId, owner, outcome, tracking);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * {@link #done(String, String, String, String)} that may return before the record is durable: it is once
     * {@link #sync()} returns. For an intake that acknowledges its inputs in batches and syncs once before each
     * acknowledgement, so that many outcomes share one disk force.
     */
    default void doneUnsynced(String requestId, String owner, String outcome, String tracking) {
        done(requestId, owner, outcome, tracking);
    }

    /** Returns once every record written before is durable. */
    default void sync() {
    }

    /** Claims not done: being worked on, or orphaned by an owner that stopped. */
    Collection<RequestRecord> inFlight();

    /** Done requests whose tracking is not over yet. */
    Collection<RequestRecord> tracked();

    /** Ends the tracking of a done request; durable before it returns. */
    default void untrack(String requestId) {
        untrack(requestId, null);
    }

    /**
     * Ends the tracking of a done request whose completion has been reported, recording {@code outcome} (null: the
     * outcome stays as it was); durable before it returns.
     */
    void untrack(String requestId, String outcome);

    /**
     * Whether this instance is, right now, the one among those sharing the store that does the store-wide work
     * (polling tracked snapshots): the holder of the journal's lock, or of the Kafka store's leadership. The file store
     * takes its journal's lock here when it is free (and {@link #leadOnlyWhile} allows), so asking may make this
     * instance the leader.
     */
    boolean tryToLead();

    /**
     * Lets this instance lead (do the store-wide work, see {@link #tryToLead()}) only while {@code condition} holds. For
     * a store whose leadership is a lock that an intake's leadership must come before (the file store's journal, on a
     * drop folder shared by replicas); others ignore it.
     */
    default void leadOnlyWhile(java.util.function.BooleanSupplier condition) {
    }

    /** Whether the store can answer now (the Kafka store follows its topic). */
    default boolean healthy() {
        return true;
    }

    /**
     * Whether the store can no longer be written by this process (the file store's journal could not be written or
     * forced): only a restart, which replays it, brings it back.
     */
    default boolean failed() {
        return false;
    }
}
