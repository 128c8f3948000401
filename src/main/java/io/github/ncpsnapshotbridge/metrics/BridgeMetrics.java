package io.github.ncpsnapshotbridge.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.github.ncpsnapshotbridge.ncp.NcpCallMetrics;
import io.github.ncpsnapshotbridge.ncp.NcpGate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

/**
 * The bridge's own meters, all named {@code bridge_*} in Prometheus, each with its HELP text. Made at start, so that
 * its gauges are there before the first request (an alert on a missing series would fire otherwise).
 */
@Startup
@ApplicationScoped
public class BridgeMetrics implements NcpCallMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger trackedSnapshots = new AtomicInteger();
    private final Counter retries;
    private final Counter rateLimitWaits;
    private final Timer rateLimitWaitTime;
    /** The meters met so far, by their tags: looked up once, not built again for every request. */
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Timer> ncpCalls = new ConcurrentHashMap<>();

    public BridgeMetrics(MeterRegistry registry, NcpGate gate) {
        this.registry = registry;
        Gauge.builder("bridge.requests.in.flight", inFlight, AtomicInteger::get)
                .description("requests under way in this process, from intake to their published outcome")
                .register(registry);
        Gauge.builder("bridge.intake.paused", gate, g -> g.outageSince() == null ? 0 : 1)
                .description("1 while NCP is in an outage (retries stretched, requests waiting), else 0")
                .register(registry);
        Gauge.builder("bridge.ncp.calls.waiting", gate, NcpGate::waiting)
                .description("NCP calls waiting for the rate ceiling, the concurrency limit or a 429 pause")
                .register(registry);
        Gauge.builder("bridge.completion.tracked", trackedSnapshots, AtomicInteger::get)
                .description("created snapshots followed until usable (on the replica that polls)")
                .register(registry);
        this.retries = Counter.builder("bridge.ncp.retries").description("NCP calls repeated after a retryable failure")
                .register(registry);
        this.rateLimitWaits = Counter.builder("bridge.ncp.rate.limit.waits")
                .description("NCP calls that had to wait for the rate ceiling or a 429 pause").register(registry);
        this.rateLimitWaitTime = Timer.builder("bridge.ncp.rate.limit.wait")
                .description("how long NCP calls waited for the rate ceiling or a 429 pause").register(registry);
    }

    /** One request finished with an outcome ({@code created}, {@code failed}, {@code rejected}, {@code duplicate}). */
    public void outcome(String channel, String outcome) {
        String ch = channel == null ? "unknown" : channel;
        outcomes.computeIfAbsent(ch + '\n' + outcome, k -> Counter.builder("bridge.requests")
                .description("requests by the channel they came in on and their outcome")
                .tag("channel", ch).tag("outcome", outcome).register(registry)).increment();
    }

    public void started() {
        inFlight.incrementAndGet();
    }

    public void finished() {
        inFlight.decrementAndGet();
    }

    @Override
    public void ncpCall(String action, int status, Duration took) {
        ncpCalls.computeIfAbsent(action + '\n' + status, k -> Timer.builder("bridge.ncp.call")
                .description("NCP calls by action and HTTP status")
                .tag("action", action).tag("status", status == 0 ? "none" : Integer.toString(status))
                .publishPercentileHistogram()
                .register(registry)).record(took);
    }

    /** In-flight claims whose lease has run out: requests whose owner stopped, waiting to be finished. */
    public void staleClaims(java.util.function.Supplier<Number> count) {
        Gauge.builder("bridge.idempotency.stale.claims", count)
                .description("in-flight claims older than their lease (owner gone), waiting for recovery")
                .register(registry);
    }

    /** One round of status polls of the tracked snapshots (on the leading replica only). */
    public void completionPoll(int tracked) {
        Counter.builder("bridge.completion.polls").description("rounds of status polls of tracked snapshots")
                .register(registry).increment();
        trackedSnapshots.set(tracked);
    }

    @Override
    public void retried() {
        retries.increment();
    }

    @Override
    public void waitedForRateLimit(Duration waited) {
        rateLimitWaits.increment();
        rateLimitWaitTime.record(waited);
    }
}
