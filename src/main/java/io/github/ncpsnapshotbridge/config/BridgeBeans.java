package io.github.ncpsnapshotbridge.config;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.github.ncpsnapshotbridge.events.EventFactory;
import io.github.ncpsnapshotbridge.ncp.NcpCallFactory;
import io.github.ncpsnapshotbridge.ncp.NcpGate;
import io.github.ncpsnapshotbridge.ncp.NcpResponseParser;
import io.github.ncpsnapshotbridge.pipeline.RequestBatchReader;
import io.github.ncpsnapshotbridge.pipeline.RequestValidator;

/** Makes the plain business classes available to routes, configured from the settings. */
@ApplicationScoped
public class BridgeBeans {

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @ApplicationScoped
    NcpCallFactory ncpCallFactory(NcpConfig ncp, Clock clock) {
        return new NcpCallFactory(ncp.apiUrl(), clock);
    }

    @Produces
    @ApplicationScoped
    NcpGate ncpGate(BridgeConfig bridge, Clock clock) {
        return new NcpGate(bridge.ncp().maxCallsPerSecond(), bridge.ncp().maxConcurrentCalls(),
                bridge.ncp().outageAfterFailures(), clock);
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
    RequestValidator requestValidator() {
        return new RequestValidator();
    }

    @Produces
    @ApplicationScoped
    RequestBatchReader requestBatchReader() {
        return new RequestBatchReader();
    }
}
