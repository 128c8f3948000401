package io.github.ncpsnapshotbridge.ncp;

import java.util.List;

/** One page of a getBlockStorageSnapshotInstanceList answer; {@code totalRows} counts every page together. */
public record SnapshotPage(List<NcpSnapshot> snapshots, int totalRows) {
}
