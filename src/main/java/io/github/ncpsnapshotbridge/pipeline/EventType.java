package io.github.ncpsnapshotbridge.pipeline;

/**
 * The four outcomes a request can have (exactly one event of one of them per request), and the two ends of a created
 * snapshot's completion (exactly one of them per created snapshot).
 */
public enum EventType {
    CREATED("ncp.blockstorage.snapshot.created", "created"),
    FAILED("ncp.blockstorage.snapshot.failed", "failed"),
    REJECTED("ncp.blockstorage.snapshot.rejected", "rejected"),
    DUPLICATE("ncp.blockstorage.snapshot.duplicate", "duplicate"),
    COMPLETED("ncp.blockstorage.snapshot.completed", "completed"),
    UNAVAILABLE("ncp.blockstorage.snapshot.unavailable", "unavailable");

    private final String cloudEventType;
    private final String outcome;

    EventType(String cloudEventType, String outcome) {
        this.cloudEventType = cloudEventType;
        this.outcome = outcome;
    }

    public String cloudEventType() {
        return cloudEventType;
    }

    /** The short name used in logs and metrics. */
    public String outcome() {
        return outcome;
    }

    /** The type whose short name is {@code outcome}. */
    public static EventType ofOutcome(String outcome) {
        for (EventType type : values()) {
            if (type.outcome.equals(outcome)) {
                return type;
            }
        }
        throw new IllegalArgumentException("no event type is called " + outcome);
    }
}
