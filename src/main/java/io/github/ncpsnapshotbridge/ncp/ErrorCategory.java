package io.github.ncpsnapshotbridge.ncp;

/** Why a call failed, as the {@code error.category} of a {@code failed} event names it. */
public enum ErrorCategory {
    AUTH("auth", false),
    CLIENT("client", false),
    THROTTLED("throttled", true),
    SERVER("server", true),
    TIMEOUT("timeout", true),
    MALFORMED_RESPONSE("malformed-response", false);

    private final String label;
    private final boolean retryable;

    ErrorCategory(String label, boolean retryable) {
        this.label = label;
        this.retryable = retryable;
    }

    public String label() {
        return label;
    }

    /** Whether sending the same call again may succeed. */
    public boolean retryable() {
        return retryable;
    }

    /** The category of a refusal, judged by HTTP status first (the gateway's and NCP's own). */
    public static ErrorCategory ofHttpStatus(int status) {
        if (status == 401 || status == 403) {
            return AUTH;
        }
        if (status == 429) {
            return THROTTLED;
        }
        if (status == 408 || status == 504) {
            return TIMEOUT;
        }
        if (status >= 500) {
            return SERVER;
        }
        return CLIENT;
    }
}
