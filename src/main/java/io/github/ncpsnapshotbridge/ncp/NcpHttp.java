package io.github.ncpsnapshotbridge.ncp;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/** Sends one signed GET through the camel-http route, inside the {@link NcpGate}'s limits, and measures it. */
public class NcpHttp {

    private final ProducerTemplate http;
    private final NcpGate gate;
    private final NcpCallMetrics metrics;

    public NcpHttp(ProducerTemplate http, NcpGate gate, NcpCallMetrics metrics) {
        this.http = http;
        this.gate = gate;
        this.metrics = metrics;
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
            Exchange result = http.send(NcpCallRoute.HTTP, e -> e.getMessage().setBody(call));
            if (result.getException() != null) {
                throw result.getException();
            }
            HttpReply reply = result.getMessage().getBody(HttpReply.class);
            status = reply.status();
            return reply;
        } finally {
            gate.release();
            metrics.ncpCall(action, status, Duration.ofNanos(System.nanoTime() - granted));
        }
    }
}
