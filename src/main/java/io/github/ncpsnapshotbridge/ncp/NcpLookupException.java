package io.github.ncpsnapshotbridge.ncp;

/**
 * A look-up at NCP gave no usable answer; the request must wait and be tried again, never be guessed.
 * {@code retryable} is false when NCP refused the look-up itself (no permission to list, say): asking again will not
 * help.
 */
public class NcpLookupException extends RuntimeException {

    private final boolean retryable;

    public NcpLookupException(String message) {
        this(message, true);
    }

    public NcpLookupException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
