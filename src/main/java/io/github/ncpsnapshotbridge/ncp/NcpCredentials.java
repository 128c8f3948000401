package io.github.ncpsnapshotbridge.ncp;

import java.util.Objects;

/**
 * One account's API key pair. The secret is held apart and never rendered: {@link #toString()} masks it, so a
 * stray log statement or exception message cannot leak it.
 */
public final class NcpCredentials {

    private final String accessKey;
    private final String secretKey;

    public NcpCredentials(String accessKey, String secretKey) {
        this.accessKey = Objects.requireNonNull(accessKey, "accessKey");
        this.secretKey = Objects.requireNonNull(secretKey, "secretKey");
    }

    public String accessKey() {
        return accessKey;
    }

    /** Only the signer may read this. */
    String secretKey() {
        return secretKey;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NcpCredentials other && accessKey.equals(other.accessKey) && secretKey.equals(other.secretKey);
    }

    @Override
    public int hashCode() {
        return accessKey.hashCode();
    }

    @Override
    public String toString() {
        return "NcpCredentials[accessKey=" + accessKey + ", secretKey=****]";
    }
}
