package io.github.ncpsnapshotbridge.ncp;

/**
 * Carries one signed GET to NCP exactly as it was signed (its URL's raw path and query, its three gateway headers) and
 * brings the answer back whatever its status, with no retry, redirect, cookie or content decoding of its own. Throws
 * when no answer came: a {@link java.net.ConnectException} when the connection was refused (nothing reached NCP), an
 * exception named for a timeout when none came in time.
 */
@FunctionalInterface
public interface NcpTransport {

    HttpReply send(SignedCall call) throws Exception;
}
