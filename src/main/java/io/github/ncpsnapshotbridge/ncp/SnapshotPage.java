package io.github.ncpsnapshotbridge.ncp;

import java.util.List;

import io.github.ncpsnapshotbridge.ncp.model.BlockStorageSnapshot;

/** One page of a getBlockStorageSnapshotInstanceList answer; {@code totalRows} counts every page together. */
public record SnapshotPage(List<BlockStorageSnapshot> snapshots, int totalRows) {
}
