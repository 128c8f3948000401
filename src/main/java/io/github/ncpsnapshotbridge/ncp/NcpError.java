package io.github.ncpsnapshotbridge.ncp;

/**
 * Why NCP did not create the snapshot. {@code httpStatus} is null when no answer came (timeout, refused connection);
 * {@code returnCode}/{@code returnMessage} are NCP's own where it sent them.
 */
public record NcpError(Integer httpStatus, String returnCode, String returnMessage, ErrorCategory category) {

    /** NCP's documented "try again later". */
    public static final String TRY_AGAIN_LATER = "1000";

    public boolean retryable() {
        return category.retryable() || TRY_AGAIN_LATER.equals(returnCode);
    }
}
