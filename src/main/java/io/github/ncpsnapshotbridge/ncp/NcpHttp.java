package io.github.ncpsnapshotbridge.ncp;

import java.io.IOException;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.classic.MinimalHttpClient;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends one signed GET to NCP, inside the {@link NcpGate}'s limits, and measures it. Apache HttpClient 5's minimal
 * client, not a Camel endpoint: {@code ncp} is a client library of NCP's API that knows nothing of Camel, and a Camel
 * exchange per call cost more CPU than the call itself (docs/benchmarks.md). The minimal client has no retries, no
 * redirects, no cookies and no content decoding: the caller sees every answer and failure as it came and decides
 * ({@link SnapshotCreator}, {@link SnapshotLookup}). TLS is the connection manager's default: the JVM's trust store and
 * host name verification.
 */
public class NcpHttp implements AutoCloseable {

    private final MinimalHttpClient client;
    private final RequestConfig requestConfig;
    private final NcpGate gate;
    private final NcpCallMetrics metrics;
    /** The host of each origin NCP is called on (classic, VPC), parsed once. */
    private final Map<String, HttpHost> hosts = new ConcurrentHashMap<>();

    public NcpHttp(NcpGate gate, NcpCallMetrics metrics, Duration connectTimeout, Duration readTimeout,
            int maxConnections) {
        this.gate = gate;
        this.metrics = metrics;
        int connections = Math.max(2, maxConnections);
        this.client = HttpClients.createMinimal(PoolingHttpClientConnectionManagerBuilder.create()
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setSocketTimeout(Timeout.of(readTimeout))
                        // a connection idle for a second is checked before it is used again: NCP's side may have closed it
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build())
                .setMaxConnTotal(connections)
                .setMaxConnPerRoute(connections)
                .build());
        this.requestConfig = RequestConfig.custom()
                .setResponseTimeout(Timeout.of(readTimeout))
                // the gate lets no more calls through than there are connections: never waited for in practice
                .setConnectionRequestTimeout(Timeout.of(connectTimeout))
                .build();
    }

    /** The answer, whatever its status; an exception when none came (timeout, refused or broken connection). */
    public HttpReply send(SignedCall call, String action) throws Exception {
        long asked = System.nanoTime();
        gate.acquire();
        long granted = System.nanoTime();
        if (granted - asked > 5_000_000) {
            metrics.waitedForRateLimit(Duration.ofNanos(granted - asked));
        }
        int status = 0;
        try {
            // the request target exactly as signed: the client sends it as given
            BasicClassicHttpRequest get = new BasicClassicHttpRequest(Method.GET, host(call), call.rawPathAndQuery());
            get.addHeader(SignedCall.TIMESTAMP_HEADER, Long.toString(call.timestamp()));
            get.addHeader(SignedCall.ACCESS_KEY_HEADER, call.accessKey());
            get.addHeader(SignedCall.SIGNATURE_HEADER, call.signature());
            HttpReply reply = client.execute(get, context(), response -> {
                HttpEntity entity = response.getEntity();
                Header retryAfter = response.getFirstHeader("Retry-After");
                return new HttpReply(response.getCode(), entity == null ? new byte[0] : EntityUtils.toByteArray(entity),
                        retryAfter == null ? null : retryAfter.getValue());
            });
            status = reply.status();
            return reply;
        } finally {
            gate.release();
            metrics.ncpCall(action, status, Duration.ofNanos(System.nanoTime() - granted));
        }
    }

    private HttpClientContext context() {
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(requestConfig);
        return context;
    }

    private HttpHost host(SignedCall call) {
        String origin = call.url().substring(0, call.url().length() - call.rawPathAndQuery().length());
        return hosts.computeIfAbsent(origin, o -> {
            try {
                return HttpHost.create(o);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not an NCP origin: " + o, e);
            }
        });
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
