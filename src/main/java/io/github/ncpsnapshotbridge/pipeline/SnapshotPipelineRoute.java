package io.github.ncpsnapshotbridge.pipeline;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.builder.RouteBuilder;

import io.github.ncpsnapshotbridge.events.EventPublisherRoute;
import io.github.ncpsnapshotbridge.ncp.NcpCallRoute;

/**
 * The one pipeline every intake feeds, one request ({@link IntakeItem}) per exchange: validate, call NCP, publish
 * exactly one event. It returns only once the event is published, so an intake may then acknowledge its input.
 */
@ApplicationScoped
public class SnapshotPipelineRoute extends RouteBuilder {

    public static final String PROCESS = "direct:process-request";

    private final PipelineSteps steps;

    public SnapshotPipelineRoute(PipelineSteps steps) {
        this.steps = steps;
    }

    @Override
    public void configure() {
        from(PROCESS).routeId("snapshot-pipeline")
                .bean(steps, "validate")
                .choice()
                    .when(body().isInstanceOf(SnapshotRequest.class))
                        .to(NcpCallRoute.CREATE_SNAPSHOT)
                .end()
                .to(EventPublisherRoute.PUBLISH);
    }
}
