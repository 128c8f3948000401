package io.github.ncpsnapshotbridge.ncp;

/** NCP's answer to one GET: status, body and the gateway's Retry-After header (null when absent). */
public record HttpReply(int status, byte[] body, String retryAfter) {
}
