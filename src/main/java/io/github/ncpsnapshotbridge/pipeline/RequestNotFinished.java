package io.github.ncpsnapshotbridge.pipeline;

/**
 * A request that cannot be finished now and must not be answered yet: its claim is held by another owner (or another
 * copy here), or NCP cannot be asked whether an earlier attempt made its snapshot. The pipeline tries it again itself
 * after a pause, holding its input unacknowledged, instead of handing it back to a broker's redelivery limit.
 */
public class RequestNotFinished extends RuntimeException {

    public RequestNotFinished(String message) {
        super(message, null, false, false);
    }
}
