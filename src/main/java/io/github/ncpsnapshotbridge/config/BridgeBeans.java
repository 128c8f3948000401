package io.github.ncpsnapshotbridge.config;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.ProducerTemplate;

import io.github.ncpsnapshotbridge.metrics.BridgeMetrics;
import io.github.ncpsnapshotbridge.ncp.CredentialsStore;
import io.github.ncpsnapshotbridge.ncp.NcpCallFactory;
import io.github.ncpsnapshotbridge.ncp.NcpGate;
import io.github.ncpsnapshotbridge.ncp.NcpHttp;
import io.github.ncpsnapshotbridge.ncp.NcpResponseParser;
import io.github.ncpsnapshotbridge.ncp.Platform;
import io.github.ncpsnapshotbridge.ncp.RetryPolicy;
import io.github.ncpsnapshotbridge.ncp.SnapshotCreator;
import io.github.ncpsnapshotbridge.ncp.SnapshotLookup;
import io.github.ncpsnapshotbridge.ncp.SnapshotStatuses;
import io.github.ncpsnapshotbridge.ncp.Ticker;
import io.github.ncpsnapshotbridge.ncpcall.CamelNcpTransport;
import io.github.ncpsnapshotbridge.pipeline.EventFactory;
import io.github.ncpsnapshotbridge.pipeline.RequestBatchReader;
import io.github.ncpsnapshotbridge.pipeline.RequestValidator;
import io.github.ncpsnapshotbridge.settings.BridgeConfig;
import io.github.ncpsnapshotbridge.settings.NcpConfig;

/** Makes the plain business classes available to routes, configured from the settings. */
@ApplicationScoped
public class BridgeBeans {

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    Ticker ticker() {
        return Ticker.SYSTEM;
    }

    @Produces
    @ApplicationScoped
    NcpCallFactory ncpCallFactory(NcpConfig ncp, Clock clock) {
        return new NcpCallFactory(ncp.apiUrl(), ncp.vpcApiUrl(), clock);
    }

    @Produces
    @ApplicationScoped
    NcpGate ncpGate(BridgeConfig bridge, Clock clock) {
        return new NcpGate(bridge.ncp().maxCallsPerSecond(), bridge.ncp().maxConcurrentCalls(),
                bridge.ncp().outageAfterFailures(), clock);
    }

    @Produces
    @ApplicationScoped
    NcpHttp ncpHttp(NcpGate gate, BridgeMetrics metrics, ProducerTemplate template,
            @Named(NCP_CALLS) ExecutorService ncpCalls) {
        return new NcpHttp(gate, metrics, new CamelNcpTransport(template), ncpCalls);
    }

    /** Threads that send NCP calls and look-ups once they may go; nothing waits on them for a gate or a back-off. */
    public static final String NCP_CALLS = "ncpCalls";

    @Produces
    @ApplicationScoped
    @Named(NCP_CALLS)
    ExecutorService ncpCalls() {
        AtomicInteger n = new AtomicInteger();
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ncp-call-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void closeNcpCalls(@Disposes @Named(NCP_CALLS) ExecutorService ncpCalls) {
        ncpCalls.shutdownNow();
    }

    @Produces
    @ApplicationScoped
    SnapshotLookup snapshotLookup(NcpHttp http, NcpCallFactory calls, NcpResponseParser parser, NcpGate gate) {
        return new SnapshotLookup(http, calls, parser, gate);
    }

    @Produces
    @ApplicationScoped
    SnapshotCreator snapshotCreator(NcpHttp http, NcpCallFactory calls, NcpResponseParser parser, NcpGate gate,
            SnapshotLookup lookup, BridgeConfig bridge, BridgeMetrics metrics, @Named(NCP_CALLS) ExecutorService ncpCalls) {
        BridgeConfig.Retry retry = bridge.retry();
        return new SnapshotCreator(http, calls, parser, gate, lookup,
                new RetryPolicy(retry.maxAttempts(), retry.initialDelay(), retry.maxDelay()),
                bridge.ncp().outageTolerance(), bridge.ncp().lookupSettle(), Ticker.SYSTEM, metrics, ncpCalls);
    }

    @Produces
    @ApplicationScoped
    SnapshotStatuses snapshotStatuses(NcpHttp http, NcpCallFactory calls, NcpResponseParser parser, NcpGate gate) {
        return new SnapshotStatuses(http, calls, parser, gate);
    }

    @Produces
    @ApplicationScoped
    NcpResponseParser ncpResponseParser() {
        return new NcpResponseParser();
    }

    @Produces
    @ApplicationScoped
    EventFactory eventFactory(BridgeConfig bridge, Clock clock) {
        return new EventFactory(bridge.eventSource(), clock);
    }

    @Produces
    @ApplicationScoped
    RequestValidator requestValidator(CredentialsStore credentials, NcpConfig ncp) {
        return new RequestValidator(credentials::platformOf, defaultPlatform(ncp), ncp.regionCode());
    }

    static Platform defaultPlatform(NcpConfig ncp) {
        return Platform.of(ncp.platform()).orElseThrow(() -> new IllegalStateException(
                "NCP_PLATFORM must be classic or vpc, got '" + ncp.platform() + "'"));
    }

    @Produces
    @ApplicationScoped
    RequestBatchReader requestBatchReader() {
        return new RequestBatchReader();
    }
}
