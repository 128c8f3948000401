package io.github.ncpsnapshotbridge.ncp;

import java.util.Locale;
import java.util.Optional;

/** NCP's two Server APIs: the classic one ({@code /server/v2}) and the VPC one ({@code /vserver/v2}). */
public enum Platform {
    CLASSIC,
    VPC;

    /** As requests, settings and events spell it: {@code classic}, {@code vpc}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Platform> of(String label) {
        if (label == null) {
            return Optional.empty();
        }
        for (Platform p : values()) {
            if (p.label().equals(label.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
