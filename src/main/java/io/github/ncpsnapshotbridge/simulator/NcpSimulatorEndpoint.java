package io.github.ncpsnapshotbridge.simulator;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.github.ncpsnapshotbridge.settings.BridgeConfig;
import io.github.ncpsnapshotbridge.ncp.CredentialsStore;
import io.vertx.ext.web.Router;

/** Serves the {@link NcpSimulator} under {@code /ncp-simulator/} when {@code bridge.ncp-simulator.enabled} is true. */
@ApplicationScoped
public class NcpSimulatorEndpoint {

    public static final String PATH = "/ncp-simulator";
    private static final Logger LOG = Logger.getLogger(NcpSimulatorEndpoint.class);

    void register(@Observes Router router, BridgeConfig config, CredentialsStore credentials, Clock clock) {
        if (!config.ncpSimulator().enabled()) {
            return;
        }
        NcpSimulator simulator = new NcpSimulator(credentials::findByAccessKey, clock);
        router.route(PATH + "/*").blockingHandler(ctx -> {
            // uri() is the request target as received, still percent-encoded: what the signature covers
            NcpSimulator.Reply reply = simulator.handle(ctx.request().method().name(), ctx.request().uri(),
                    name -> ctx.request().getHeader(name));
            ctx.response().setStatusCode(reply.status()).putHeader("Content-Type", reply.contentType()).end(reply.body());
        });
        LOG.warn("The built-in NCP simulator is serving " + PATH + "/server/v2 and " + PATH + "/vserver/v2: no real snapshot is taken");
    }
}
