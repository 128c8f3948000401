package io.github.ncpsnapshotbridge.ncp;

/**
 * One snapshot to create at NCP, with the identity it must carry ({@code requestId}, see {@link SnapshotMarker}).
 * {@code name} and {@code description} are the user's; either may be null. {@code regionCode} and
 * {@code snapshotTypeCode} are for VPC only (null on classic).
 */
public record SnapshotOrder(String requestId, String volume, String name, String description, String account,
        Platform platform, String regionCode, String snapshotTypeCode) {
}
