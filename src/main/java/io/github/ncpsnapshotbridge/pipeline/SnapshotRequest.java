package io.github.ncpsnapshotbridge.pipeline;

/**
 * A valid "snapshot this volume" request. {@code requestId} is the user's, or the one derived from the transport when
 * the user gave none ({@code requestIdDerived}).
 */
public record SnapshotRequest(String requestId, boolean requestIdDerived, String blockStorageInstanceNo,
        String blockStorageSnapshotName, String blockStorageSnapshotDescription, String account) {
}
