package io.github.ncpsnapshotbridge.ncp;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Sends one call to NCP inside the {@link NcpGate}'s limits, signed at the moment the gate lets it through, and
 * measures it. The bytes travel by an {@link NcpTransport} (a Camel route through camel-http, in the application): this
 * package knows nothing of Camel or of an HTTP client. The caller sees every answer and failure as it came and decides
 * ({@link SnapshotCreator}, {@link SnapshotLookup}).
 */
public class NcpHttp {

    private final NcpGate gate;
    private final NcpCallMetrics metrics;
    private final NcpTransport transport;
    /** Where a call let through is sent from (the transport blocks while NCP answers). */
    private final Executor calls;

    public NcpHttp(NcpGate gate, NcpCallMetrics metrics, NcpTransport transport, Executor calls) {
        this.gate = gate;
        this.metrics = metrics;
        this.transport = transport;
        this.calls = calls;
    }

    /**
     * The answer, whatever its status; an exception when none came (timeout, refused or broken connection). For a
     * caller with a thread to wait with (the completion tracker's timer, a look-up under way).
     */
    public HttpReply send(Supplier<SignedCall> signed, String action) throws Exception {
        long asked = System.nanoTime();
        gate.acquire();
        return sendNow(signed, action, () -> { }, asked);
    }

    /**
     * The answer, once the gate lets the call through: no thread waits meanwhile. The call is signed only then (after
     * any wait for the ceiling, the concurrency limit or a 429's pause, so its time stamp is fresh), and
     * {@code beforeSend} runs right before the bytes leave: if it throws (the claim is no longer this instance's, say),
     * nothing is sent and the future fails with what it threw.
     */
    public CompletableFuture<HttpReply> sendWhenLetThrough(Supplier<SignedCall> signed, String action,
            Runnable beforeSend) {
        long asked = System.nanoTime();
        CompletableFuture<HttpReply> reply = new CompletableFuture<>();
        gate.admit().whenComplete((ignored, error) -> {
            try {
                calls.execute(() -> {
                    try {
                        reply.complete(sendNow(signed, action, beforeSend, asked));
                    } catch (Throwable e) {
                        reply.completeExceptionally(e);
                    }
                });
            } catch (RejectedExecutionException stopping) {
                gate.release();
                reply.completeExceptionally(stopping);
            }
        });
        return reply;
    }

    /** Sends a call the gate has let through, and gives its place back. */
    private HttpReply sendNow(Supplier<SignedCall> signed, String action, Runnable beforeSend, long asked)
            throws Exception {
        long granted = System.nanoTime();
        if (granted - asked > 5_000_000) {
            metrics.waitedForRateLimit(Duration.ofNanos(granted - asked));
        }
        int status = 0;
        try {
            beforeSend.run();
            HttpReply reply = transport.send(signed.get());
            status = reply.status();
            return reply;
        } finally {
            gate.release();
            metrics.ncpCall(action, status, Duration.ofNanos(System.nanoTime() - granted));
        }
    }
}
