package io.github.ncpsnapshotbridge.idempotency;

import io.github.ncpsnapshotbridge.pipeline.SnapshotRequest;

/** A request an earlier run of the bridge sent to NCP without publishing the outcome: look at NCP before creating. */
public record InFlightCheck(SnapshotRequest request) {
}
