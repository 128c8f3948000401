package io.github.ncpsnapshotbridge.ncp;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.classic.MinimalHttpClient;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends one signed GET to NCP, inside the {@link NcpGate}'s limits, and measures it. Apache HttpClient 5's minimal
 * client, not a Camel endpoint: {@code ncp} is a client library of NCP's API that knows nothing of Camel, and a Camel
 * exchange per call cost more CPU than the call itself (docs/benchmarks.md). The minimal client has no retries, no
 * redirects, no cookies and no content decoding: the caller sees every answer and failure as it came and decides
 * ({@link SnapshotCreator}, {@link SnapshotLookup}). TLS is the connection manager's default: the JVM's trust store and
 * host name verification.
 * <p>
 * A call has the connect timeout and the read timeout to be answered in full, kept by a watchdog that aborts a call
 * past its deadline (its connection is closed, and the caller gets a {@link SocketTimeoutException}); the sockets
 * themselves read without a timeout. A socket read timeout costs two more system calls per answer (a read that finds
 * nothing yet, then a poll), about a tenth of the bridge's CPU per request under load.
 */
public class NcpHttp implements AutoCloseable {

    /** How often the watchdog looks for calls past their deadline: the precision of the timeout. */
    static final Duration WATCH_INTERVAL = Duration.ofMillis(50);

    /** A call under way and its deadline. */
    private static final class Call {
        final HttpGet request;
        final long deadline;
        volatile boolean timedOut;

        Call(HttpGet request, long deadline) {
            this.request = request;
            this.deadline = deadline;
        }
    }

    private final MinimalHttpClient client;
    private final NcpGate gate;
    private final NcpCallMetrics metrics;
    private final Duration timeout;
    private final Set<Call> underWay = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watchdog;

    public NcpHttp(NcpGate gate, NcpCallMetrics metrics, Duration connectTimeout, Duration readTimeout,
            int maxConnections) {
        this.gate = gate;
        this.metrics = metrics;
        this.timeout = connectTimeout.plus(readTimeout);
        int connections = Math.max(2, maxConnections);
        this.client = HttpClients.createMinimal(PoolingHttpClientConnectionManagerBuilder.create()
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        // no timeouts on the socket: the watchdog keeps every call's deadline (a socket connected with
                        // a timeout is non-blocking for good, and each read then costs a poll and a failed read more)
                        .setConnectTimeout(Timeout.DISABLED)
                        .setSocketTimeout(Timeout.DISABLED)
                        // a connection idle for a second is checked before it is used again: NCP's side may have closed it
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build())
                .setMaxConnTotal(connections)
                .setMaxConnPerRoute(connections)
                .build());
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ncp-call-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(this::abortOverdue, WATCH_INTERVAL.toMillis(), WATCH_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The answer, whatever its status; an exception when none came (timeout, refused or broken connection). */
    public HttpReply send(Supplier<SignedCall> signed, String action) throws Exception {
        return send(signed, action, () -> { });
    }

    /**
     * The same, with the call signed only once the gate lets it through (after any wait for the ceiling, the
     * concurrency limit or a 429's pause, so its time stamp is fresh), and {@code beforeSend} run right before the
     * bytes leave: if it throws (the claim is no longer this instance's, say), nothing is sent.
     */
    public HttpReply send(Supplier<SignedCall> signed, String action, Runnable beforeSend) throws Exception {
        long asked = System.nanoTime();
        gate.acquire();
        long granted = System.nanoTime();
        if (granted - asked > 5_000_000) {
            metrics.waitedForRateLimit(Duration.ofNanos(granted - asked));
        }
        int status = 0;
        Call underway = null;
        try {
            beforeSend.run();
            SignedCall call = signed.get();
            // the URI as signed: URI.create keeps its encoding, and HttpClient sends its raw path and query
            underway = new Call(new HttpGet(URI.create(call.url())), System.nanoTime() + timeout.toNanos());
            underway.request.addHeader(SignedCall.TIMESTAMP_HEADER, Long.toString(call.timestamp()));
            underway.request.addHeader(SignedCall.ACCESS_KEY_HEADER, call.accessKey());
            underway.request.addHeader(SignedCall.SIGNATURE_HEADER, call.signature());
            underWay.add(underway);
            Call current = underway;
            HttpReply reply = client.execute(current.request, response -> {
                HttpEntity entity = response.getEntity();
                Header retryAfter = response.getFirstHeader("Retry-After");
                return new HttpReply(response.getCode(), entity == null ? new byte[0] : EntityUtils.toByteArray(entity),
                        retryAfter == null ? null : retryAfter.getValue());
            });
            if (current.timedOut) {
                throw timedOut();
            }
            status = reply.status();
            return reply;
        } catch (IOException | RuntimeException e) {
            if (underway != null && underway.timedOut) {
                // not chained to what the abort caused (a closed socket): the failure is the deadline
                throw timedOut();
            }
            throw e;
        } finally {
            if (underway != null) {
                underWay.remove(underway);
            }
            gate.release();
            metrics.ncpCall(action, status, Duration.ofNanos(System.nanoTime() - granted));
        }
    }

    private SocketTimeoutException timedOut() {
        return new SocketTimeoutException("no answer within " + timeout.toMillis() + " ms");
    }

    /** Aborts every call past its deadline: its connection is closed, so a read waiting on it ends at once. */
    private void abortOverdue() {
        long now = System.nanoTime();
        for (Call call : underWay) {
            if (now - call.deadline >= 0 && !call.timedOut) {
                call.timedOut = true;
                call.request.cancel();
            }
        }
    }

    @Override
    public void close() throws IOException {
        watchdog.shutdownNow();
        client.close();
    }
}
