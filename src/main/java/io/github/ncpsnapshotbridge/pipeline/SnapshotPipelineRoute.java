package io.github.ncpsnapshotbridge.pipeline;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.LoggingLevel;
import org.apache.camel.Exchange;
import org.apache.camel.support.ExpressionAdapter;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;
import org.apache.camel.builder.PredicateBuilder;
import org.apache.camel.builder.RouteBuilder;

import io.github.ncpsnapshotbridge.ncp.CreateAttempts;
import io.github.ncpsnapshotbridge.ncp.NcpGate;
import io.github.ncpsnapshotbridge.ncpcall.NcpCallRoute;
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
    static final String CREATE = "direct:create-snapshot";
    /** Where an intake hands a request it has claimed ({@link RequestClaims#accept}), or its duplicate event. */
    public static final String FINISH_ACCEPTED = "direct:finish-accepted";
    private static final String ORPHAN_THREADS = "bridgeOrphanThreads";

    private final InFlight inFlight;
    private final RequestValidator validator;
    private final EventFactory events;
    private final RequestClaims claims;
    private final SnapshotCreation creation;
    private final NcpGate gate;
    private final BridgeConfig config;

    public SnapshotPipelineRoute(InFlight inFlight, RequestValidator validator, EventFactory events,
            RequestClaims claims, SnapshotCreation creation, NcpGate gate, BridgeConfig config) {
        this.inFlight = inFlight;
        this.validator = validator;
        this.events = events;
        this.gate = gate;
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
                .bean(inFlight, "begin")
                .setProperty(IntakeItem.PROPERTY, body())
                .to(LIFECYCLE);

        // validate → claim → credentials → create → publish → record; the body's type says where the request
        // stands: a request that ends early (rejected, duplicate) carries its event from there to publish
        from(LIFECYCLE).routeId("snapshot-pipeline").errorHandler(noErrorHandler())
                .setBody(exchangeProperty(IntakeItem.PROPERTY))
                .bean(validator, "validate")
                .choice()
                    .when(body().isInstanceOf(Rejection.class))
                        .bean(events, "rejected")
                    .otherwise()
                        // not Camel's idempotentConsumer: a claim here is owned and leased, can be taken over from an
                        // owner that stopped, and only a published outcome closes it (see RequestClaims); the request
                        // goes on once its claim is on disk, without holding a worker while the disk works
                        .bean(claims, "claim")
                        .filter(body().isInstanceOf(ClaimedRequest.class))
                            // enrich with the account's credentials, then have NCP create the snapshot
                            .setProperty(SnapshotCreation.CLAIMED, body())
                            .setProperty(SnapshotCreation.ACCOUNT, method(creation, "accountOf"))
                            .to(CREATE)
                        .end()
                .end()
                .to(BridgeEvent.PUBLISH)
                .bean(claims, "recordOutcome");

        // one claimed request's attempts at NCP: its CreateAttempts decide each next step (send, look up, wait, finish);
        // the route carries them out. No step holds a thread while it waits: the delayer is scheduled, the gate
        // completes a future, and look-ups and calls run on the NCP call threads
        // (the claimed request and its credentials come as exchange properties, so that a redelivery of this step, after
        // RequestNotFinished, starts over from them whatever the body became)
        from(CREATE).routeId("snapshot-create").errorHandler(noErrorHandler())
                .setBody(method(creation, "start"))
                .loopDoWhile(PredicateBuilder.not(body().isInstanceOf(CreateAttempts.Finish.class)))
                    .choice()
                        .when(body().isInstanceOf(CreateAttempts.Wait.class))
                            // a back-off, a 429's pause, the settle time between look-ups
                            .delay(simple("${body.millis}")).asyncDelayed()
                            .setBody(method(creation, "waited"))
                        .endChoice()
                        .when(body().isInstanceOf(CreateAttempts.LookUp.class))
                            // is the snapshot on NCP's list? (after an attempt of unknown effect)
                            .bean(creation, "lookUp")
                        .otherwise()
                            // send the create: still ours? wait for the gate; still ours? sign; NCP; read the answer
                            .bean(claims, "confirm")
                            .bean(creation, "letThrough")
                            .doTry()
                                .bean(claims, "confirm")
                                .bean(claims, "sending")
                                .bean(creation, "sign")
                                .to(NcpCallRoute.CALL)
                                .bean(creation, "answered")
                            .doCatch(IOException.class)
                                .bean(creation, "noAnswer")
                            .doFinally()
                                .bean(gate, "release")
                            .end()
                    .end()
                .end()
                // the outcome is decided, published and recorded on a worker
                .threads().executorService(WorkerPool.NAME)
                .bean(creation, "outcome");

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

        // a request the HTTP intake handed over (its claim durable before the caller heard 202): created, or its
        // duplicate event published, on an exchange of its own; nothing of the HTTP call's headers goes on with it
        from(FINISH_ACCEPTED).routeId("accepted-request")
                .errorHandler(notFinishedRetried(retryMs))
                .onException(ClaimLost.class).handled(true)
                    .log(LoggingLevel.INFO, "${exception.message}; the new owner finishes it")
                .end()
                .removeHeaders("*")
                .setProperty(IntakeItem.CHANNEL, constant("http"))
                .bean(inFlight, "begin")
                .filter(body().isInstanceOf(ClaimedRequest.class))
                    .bean(claims, "track")
                    .setProperty(SnapshotCreation.CLAIMED, body())
                    .setProperty(SnapshotCreation.ACCOUNT, method(creation, "accountOf"))
                    .to(CREATE)
                .end()
                .to(BridgeEvent.PUBLISH)
                .bean(claims, "recordOutcome");

        from(FINISH_ORPHAN).routeId("orphan-completion")
                .errorHandler(notFinishedRetried(retryMs))
                .onException(ClaimLost.class).handled(true)
                    .log(LoggingLevel.INFO, "${exception.message}; the new owner finishes it")
                .end()
                .setProperty(IntakeItem.CHANNEL, constant("recovery"))
                .bean(inFlight, "begin")
                .bean(claims, "track")
                .setProperty(SnapshotCreation.CLAIMED, body())
                .setProperty(SnapshotCreation.ACCOUNT, method(creation, "accountOf"))
                .to(CREATE)
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
