package io.github.ncpsnapshotbridge.ncp;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Sends one call to NCP inside the {@link NcpGate}'s limits, signed at the moment the gate lets it through, for a
 * caller with a thread to wait with (a look-up, the completion tracker's status polls). The bytes travel by an
 * {@link NcpTransport} (the ncp-call route through camel-http, in the application): this package knows nothing of
 * Camel or of an HTTP client. The caller sees every answer and failure as it came and decides.
 */
public class NcpHttp {

    private final NcpGate gate;
    private final NcpCallMetrics metrics;
    private final NcpTransport transport;

    public NcpHttp(NcpGate gate, NcpCallMetrics metrics, NcpTransport transport) {
        this.gate = gate;
        this.metrics = metrics;
        this.transport = transport;
    }

    /**
     * The answer, whatever its status; an exception when none came (timeout, refused or broken connection). The call
     * is signed only once the gate lets it through (after any wait for the ceiling, the concurrency limit or a 429's
     * pause), so its time stamp is fresh.
     */
    public HttpReply send(Supplier<SignedCall> signed) throws Exception {
        long asked = System.nanoTime();
        gate.acquire();
        try {
            long waited = System.nanoTime() - asked;
            if (waited > 5_000_000) {
                metrics.waitedForRateLimit(Duration.ofNanos(waited));
            }
            return transport.send(signed.get());
        } finally {
            gate.release();
        }
    }
}
