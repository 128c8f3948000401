package io.github.ncpsnapshotbridge.pipeline;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.builder.RouteBuilder;

import io.github.ncpsnapshotbridge.events.EventPublisherRoute;
import io.github.ncpsnapshotbridge.idempotency.IdempotencySteps;
import io.github.ncpsnapshotbridge.idempotency.InFlightCheck;
import io.github.ncpsnapshotbridge.ncp.NcpCallRoute;

/**
 * The one pipeline every intake feeds, one request ({@link IntakeItem}) per exchange: validate, check the requestId,
 * call NCP, publish exactly one event. It returns only once the event is published, so an intake may then acknowledge
 * its input.
 */
@ApplicationScoped
public class SnapshotPipelineRoute extends RouteBuilder {

    public static final String PROCESS = "direct:process-request";

    private final PipelineSteps steps;
    private final IdempotencySteps idempotency;

    public SnapshotPipelineRoute(PipelineSteps steps, IdempotencySteps idempotency) {
        this.steps = steps;
        this.idempotency = idempotency;
    }

    @Override
    public void configure() {
        // each step leaves a SnapshotRequest (go on), an InFlightCheck (look at NCP first) or the request's event
        from(PROCESS).routeId("snapshot-pipeline")
                .bean(steps, "validate")
                .choice()
                    .when(body().isInstanceOf(SnapshotRequest.class))
                        .bean(idempotency, "claim")
                .end()
                .choice()
                    .when(body().isInstanceOf(InFlightCheck.class))
                        .to(NcpCallRoute.FIND_SNAPSHOT)
                .end()
                .choice()
                    .when(body().isInstanceOf(SnapshotRequest.class))
                        .to(NcpCallRoute.CREATE_SNAPSHOT)
                .end()
                .to(EventPublisherRoute.PUBLISH);
    }
}
