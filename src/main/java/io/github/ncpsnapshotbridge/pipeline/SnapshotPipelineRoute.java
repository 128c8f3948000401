package io.github.ncpsnapshotbridge.pipeline;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.LoggingLevel;
import org.apache.camel.Exchange;
import org.apache.camel.support.ExpressionAdapter;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;
import org.apache.camel.builder.RouteBuilder;

import io.github.ncpsnapshotbridge.settings.BridgeConfig;

/**
 * The request lifecycle, one request ({@link IntakeItem}) per exchange: validate, claim its requestId, have NCP create
 * the snapshot, publish exactly one event, record the outcome. {@link #PROCESS} returns only once the event is
 * published, so an intake may then acknowledge its input. A request that cannot be finished now
 * ({@link RequestNotFinished}: in progress elsewhere, or NCP cannot be asked) is tried again from the start here,
 * while its input stays unacknowledged, rather than handed back to a broker.
 */
@ApplicationScoped
public class SnapshotPipelineRoute extends RouteBuilder {

    public static final String PROCESS = "direct:process-request";
    static final String LIFECYCLE = "direct:request-lifecycle";
    static final String FINISH_ORPHAN = "direct:finish-orphan";
    private static final String ITEM = "bridgeItem";
    private static final String ORPHAN_THREADS = "bridgeOrphanThreads";

    private final RequestStart start;
    private final RequestClaims claims;
    private final SnapshotCreation creation;
    private final BridgeConfig config;

    public SnapshotPipelineRoute(RequestStart start, RequestClaims claims, SnapshotCreation creation,
            BridgeConfig config) {
        this.start = start;
        this.claims = claims;
        this.creation = creation;
        this.config = config;
    }

    @Override
    public void configure() {
        long retryMs = config.idempotency().retryInterval().toMillis();
        WorkerPool.registerProfile(getContext(), ORPHAN_THREADS, config);

        from(PROCESS).routeId("snapshot-request")
                .errorHandler(notFinishedRetried(retryMs))
                .bean(start, "begin")
                .setProperty(ITEM, body())
                .to(LIFECYCLE);

        // validate → claim → credentials → create → publish → record; each step records the request's Stage, and a
        // step that ends the request leaves its event as the body (rejected, duplicate, created or failed)
        from(LIFECYCLE).routeId("snapshot-pipeline").errorHandler(noErrorHandler())
                .setBody(exchangeProperty(ITEM))
                .bean(start, "validate")
                .filter(exchangeProperty(Stage.PROPERTY).isEqualTo(Stage.VALID))
                    // not Camel's idempotentConsumer: a claim here is owned and leased, can be taken over from an
                    // owner that stopped, and only a published outcome closes it (see RequestClaims); the request
                    // goes on once its claim is on disk, without holding a worker while the disk works
                    .bean(claims, "claim")
                .end()
                .filter(exchangeProperty(Stage.PROPERTY).isEqualTo(Stage.CLAIMED))
                    // enrich with the account's credentials, then have NCP create the snapshot (signed, sent through
                    // the ncp-call route, waited for without holding a worker) and decide the outcome
                    .setProperty(SnapshotCreation.ACCOUNT, method(creation, "accountOf"))
                    .bean(creation, "create")
                .end()
                .to(BridgeEvent.PUBLISH)
                .bean(claims, "recordOutcome");

        // claims keep their owner while it works: renewed well before the lease runs out
        long renewMs = Math.max(100, leaseMs() / 3);
        from("timer:renew-claims?delay=" + renewMs + "&period=" + renewMs)
                .routeId("claim-renewal")
                .bean(claims, "renewHeld");

        // orphans (claims whose owner stopped) are finished from the journaled request, input or not; on threads of
        // their own: a request redelivered meanwhile waits on a worker for its orphan, which must not queue behind it
        from("timer:orphans?delay=1000&period=" + Math.max(500, leaseMs() / 2)).routeId("orphan-recovery")
                .bean(claims, "orphans")
                .split(body()).parallelProcessing().executorService(ORPHAN_THREADS)
                    .to(FINISH_ORPHAN)
                .end();

        from(FINISH_ORPHAN).routeId("orphan-completion")
                .errorHandler(notFinishedRetried(retryMs))
                .onException(ClaimLost.class).handled(true)
                    .log(LoggingLevel.INFO, "${exception.message}; the new owner finishes it")
                .end()
                .setProperty(RequestStart.CHANNEL, constant("recovery"))
                .bean(start, "begin")
                .bean(claims, "track")
                .setProperty(SnapshotCreation.ACCOUNT, method(creation, "accountOf"))
                .bean(creation, "create")
                .to(BridgeEvent.PUBLISH)
                .bean(claims, "recordOutcome");
    }

    /**
     * Redelivery of a step that threw {@link RequestNotFinished}, without end while the bridge runs; on shutdown it
     * gives up, so the input stays unacknowledged and comes back after the restart. Other errors are not retried here.
     * The pause is scheduled, not slept on a worker: what the request waits for (another exchange's claim, an
     * orphan's completion) may itself need a worker to finish.
     */
    private DefaultErrorHandlerDefinition notFinishedRetried(long retryMs) {
        return defaultErrorHandler()
                .asyncDelayedRedelivery()
                .retryWhile(new ExpressionAdapter() {
                    @Override
                    public Object evaluate(Exchange exchange) {
                        return exchange.getException(RequestNotFinished.class) != null;
                    }
                })
                .redeliveryDelay(retryMs)
                .allowRedeliveryWhileStopping(false)
                .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                .logStackTrace(false);
    }

    private long leaseMs() {
        return config.idempotency().lease().toMillis();
    }
}
