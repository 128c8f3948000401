package io.github.ncpsnapshotbridge.ncp;

/**
 * What creating one snapshot came to, after every attempt and look-up: NCP holds it ({@link Created}), NCP holds
 * nothing for it ({@link Refused}), or nobody can say ({@link Unknown}: an attempt of unknown effect and no look-up
 * that settled it).
 */
public sealed interface CreateResult {

    /** Create calls sent (0 when an earlier run's attempt was settled by look-ups alone). */
    int attempts();

    /** NCP holds the snapshot; {@code answer} is NCP's answer, or what a look-up found. */
    record Created(int attempts, NcpOutcome.Created answer, boolean foundByLookup) implements CreateResult {
    }

    /** NCP holds no snapshot for the request: it said no, or look-ups proved that nothing was made. */
    record Refused(int attempts, NcpError error) implements CreateResult {
    }

    /** An attempt may have made a snapshot and no look-up could settle it: sending again could make a second one. */
    record Unknown(int attempts, NcpError error) implements CreateResult {
    }
}
