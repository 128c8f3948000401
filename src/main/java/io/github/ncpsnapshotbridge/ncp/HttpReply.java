package io.github.ncpsnapshotbridge.ncp;

/**
 * NCP's answer to one GET: status, body, the gateway's Retry-After header (null when absent), and {@code answer}: the
 * body as read before it reached this package. For XML that is the platform's JAXB model object, or an
 * {@link UnreadableAnswer} saying why it could not be read; null for any other body (the gateway's JSON errors).
 */
public record HttpReply(int status, byte[] body, String retryAfter, Object answer) {

    public HttpReply(int status, byte[] body, String retryAfter) {
        this(status, body, retryAfter, null);
    }
}
