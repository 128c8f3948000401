package io.github.ncpsnapshotbridge.pipeline;

/**
 * Where a request stands in the pipeline, kept in the exchange property {@link #PROPERTY}: the route decides on it,
 * not on the Java type of the body.
 */
public enum Stage {
    /** Broke a rule: the body is its {@code rejected} event. */
    REJECTED,
    /** Passed validation: the body is the {@link SnapshotRequest}. */
    VALID,
    /** Its requestId already had an outcome: the body is its {@code duplicate} event. */
    DUPLICATE,
    /** Claimed by this instance: the body is the {@link ClaimedRequest} to create. */
    CLAIMED;

    public static final String PROPERTY = "bridgeStage";
}
