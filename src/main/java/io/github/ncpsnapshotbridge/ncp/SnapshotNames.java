package io.github.ncpsnapshotbridge.ncp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The snapshot name sent to NCP. A request without a name gets one derived from its requestId, so that the snapshot
 * is recognisable in the NCP console; the request's identity itself travels in the description ({@link SnapshotMarker}).
 */
public final class SnapshotNames {

    private SnapshotNames() {
    }

    public static String forRequest(String requestedName, String requestId) {
        return requestedName != null ? requestedName : derived(requestId);
    }

    /** {@code snap-} and 24 hex digits: 29 characters, within NCP's 3 to 30. */
    static String derived(String requestId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(requestId.getBytes(StandardCharsets.UTF_8));
            return "snap-" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
