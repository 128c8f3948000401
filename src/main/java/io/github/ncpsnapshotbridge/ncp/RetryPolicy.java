package io.github.ncpsnapshotbridge.ncp;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter, capped: attempt n waits about initial × 2^(n-2), at most {@code maxDelay}, each
 * pause drawn between half and all of that so that many waiting requests do not come back at the same instant.
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("BRIDGE_RETRY_MAX_ATTEMPTS must be at least 1");
        }
    }

    /** The pause before attempt {@code attempt} (2 or more); a server's Retry-After, when longer, wins. */
    public Duration delayBefore(int attempt, Duration retryAfter) {
        double base = initialDelay.toMillis() * Math.pow(2, Math.max(0, attempt - 2));
        long capped = (long) Math.min(base, maxDelay.toMillis());
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        Duration delay = Duration.ofMillis(jittered);
        return retryAfter != null && retryAfter.compareTo(delay) > 0 ? retryAfter : delay;
    }
}
