package io.github.ncpsnapshotbridge.idempotency;

import java.util.Collection;
import java.util.Optional;

/** Remembers requestIds across restarts, so that no request creates a snapshot twice. */
public interface IdempotencyStore {

    Optional<RequestRecord> find(String requestId);

    /**
     * Records {@code requestId} as about to be sent to NCP, unless it is known already. Returns the existing record
     * in that case, empty when this caller now owns the request.
     */
    Optional<RequestRecord> claim(String requestId, String volume, String snapshotName, String account);

    default Optional<RequestRecord> claim(String requestId, String volume, String snapshotName) {
        return claim(requestId, volume, snapshotName, "default");
    }

    /** Records that the request's outcome ({@code created}, {@code failed}) has been published. */
    void done(String requestId, String outcome);

    /** Requests sent to NCP whose outcome was never published (the bridge stopped in between). */
    Collection<RequestRecord> inFlight();
}
