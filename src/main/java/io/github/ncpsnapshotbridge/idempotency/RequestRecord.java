package io.github.ncpsnapshotbridge.idempotency;

import java.time.Instant;

/**
 * What the bridge remembers of one requestId. {@code IN_FLIGHT}: the create call may have reached NCP but no outcome
 * was published yet; {@code DONE}: its event is out (created or failed).
 */
public record RequestRecord(String requestId, State state, String volume, String snapshotName, String account,
        String outcome, Instant at) {

    public enum State {
        IN_FLIGHT,
        DONE
    }
}
