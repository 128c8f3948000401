package io.github.ncpsnapshotbridge.ncp;

import java.time.Duration;

/** What the NCP client reports about its calls; the application's metrics implement it. */
public interface NcpCallMetrics {

    /** Reports nothing (a client used on its own, in a tool or a test). */
    NcpCallMetrics NONE = new NcpCallMetrics() {
        @Override
        public void ncpCall(String action, int status, Duration took) {
        }

        @Override
        public void retried() {
        }

        @Override
        public void waitedForRateLimit(Duration waited) {
        }
    };

    /** One HTTP call to NCP; {@code status} 0 when there was no answer. */
    void ncpCall(String action, int status, Duration took);

    /** A create call repeated after a retryable failure. */
    void retried();

    /** A call that had to wait for the rate ceiling or a 429 pause. */
    void waitedForRateLimit(Duration waited);
}
