package io.github.ncpsnapshotbridge.ncp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of a request, carried by the snapshot NCP makes for it. Names are not unique at NCP (users reuse
 * {@code db01-nightly} every night), so the bridge appends a marker derived from the requestId to the snapshot's
 * description: {@code [nsb:} and 20 hex digits of SHA-256 of the requestId {@code ]}. NCP keeps descriptions as sent,
 * so a look-up matches only the snapshot made for this very request.
 */
public final class SnapshotMarker {

    /** The longest description a user may send: NCP takes 1000 characters, the marker and a space need 27. */
    public static final int MAX_USER_DESCRIPTION = 1000 - 27;

    private SnapshotMarker() {
    }

    /** {@code [nsb:} + 20 hex digits + {@code ]}: 26 characters. */
    public static String of(String requestId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(requestId.getBytes(StandardCharsets.UTF_8));
            return "[nsb:" + HexFormat.of().formatHex(digest, 0, 10) + "]";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The description sent to NCP: the user's, then the marker; the marker alone when the user gave none. */
    public static String description(String userDescription, String requestId) {
        return userDescription == null || userDescription.isEmpty() ? of(requestId)
                : userDescription + " " + of(requestId);
    }

    /** Whether a snapshot's description carries the marker of {@code requestId}. */
    public static boolean marks(String description, String requestId) {
        return description != null && description.contains(of(requestId));
    }
}
