package io.github.ncpsnapshotbridge.config;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.apache.camel.ProducerTemplate;

import io.github.ncpsnapshotbridge.metrics.BridgeMetrics;
import io.github.ncpsnapshotbridge.ncp.CredentialsStore;
import io.github.ncpsnapshotbridge.ncp.NcpCallFactory;
import io.github.ncpsnapshotbridge.ncp.CreateAttempts;
import io.github.ncpsnapshotbridge.ncp.NcpGate;
import io.github.ncpsnapshotbridge.ncp.NcpHttp;
import io.github.ncpsnapshotbridge.ncp.NcpResponseParser;
import io.github.ncpsnapshotbridge.ncp.Platform;
import io.github.ncpsnapshotbridge.ncp.RetryPolicy;
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
    NcpHttp ncpHttp(NcpGate gate, BridgeMetrics metrics, ProducerTemplate template) {
        return new NcpHttp(gate, metrics, new CamelNcpTransport(template));
    }

    @Produces
    @ApplicationScoped
    SnapshotLookup snapshotLookup(NcpHttp http, NcpCallFactory calls, NcpResponseParser parser, NcpGate gate) {
        return new SnapshotLookup(http, calls, parser, gate);
    }

    @Produces
    @Singleton
    CreateAttempts.Rules createRules(NcpGate gate, NcpResponseParser parser, BridgeConfig bridge) {
        BridgeConfig.Retry retry = bridge.retry();
        return new CreateAttempts.Rules(new RetryPolicy(retry.maxAttempts(), retry.initialDelay(), retry.maxDelay()),
                bridge.ncp().outageTolerance(), bridge.ncp().lookupSettle(), gate, parser);
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
