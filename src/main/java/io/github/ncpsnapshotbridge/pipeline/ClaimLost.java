package io.github.ncpsnapshotbridge.pipeline;

/** This instance no longer owns a request's claim (its lease ran out and another owner took it over): stop working. */
public class ClaimLost extends RequestNotFinished {

    public ClaimLost(String requestId) {
        super("requestId " + requestId + ": the claim was taken over by another instance");
    }
}
