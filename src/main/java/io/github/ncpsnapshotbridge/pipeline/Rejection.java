package io.github.ncpsnapshotbridge.pipeline;

import java.util.List;

/**
 * A request that broke the contract; NCP is not called. {@code requestId} and {@code volume} are set where they could
 * be read; {@code transportRequestId} is the id derived from where the request came from, so that even an unreadable
 * request's event has a key.
 */
public record Rejection(List<FieldError> errors, String raw, String requestId, String volume, String transportRequestId) {

    /** The id the event is filed under: the request's own, else the derived one. */
    public String effectiveRequestId() {
        return requestId != null ? requestId : transportRequestId;
    }
}
