package io.github.ncpsnapshotbridge.pipeline;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.builder.RouteBuilder;

import io.github.ncpsnapshotbridge.settings.BridgeConfig;

/**
 * Completion tracking: on the leading replica only, every poll interval, the status of every tracked snapshot in
 * batches; each decided snapshot's event is published, then the snapshot is no longer tracked.
 */
@ApplicationScoped
public class CompletionRoute extends RouteBuilder {

    private static final String PUBLISH_THREADS = "bridgeCompletionThreads";

    private final CompletionTracker tracker;
    private final BridgeConfig config;

    public CompletionRoute(CompletionTracker tracker, BridgeConfig config) {
        this.tracker = tracker;
        this.config = config;
    }

    @Override
    public void configure() {
        // the period from the typed setting, not a placeholder: Camel reads "10s" but not the ISO form (PT10S)
        long period = Math.max(100, config.completion().pollInterval().toMillis());
        // a round's events are published several at once: one after the other, each would wait out the Kafka
        // producer's linger on its own
        WorkerPool.registerProfile(getContext(), PUBLISH_THREADS, config);
        // synchronous: a round ends only once its events are out and untracked, so the next round (the publish may
        // go on in the Kafka producer's threads) never decides the same snapshots again
        from("timer:completion?synchronous=true&delay=" + period + "&period=" + period).routeId("completion-poll")
                .autoStartup("{{bridge.completion.enabled}}")
                .filter(method(tracker, "tryToLead"))
                    .bean(tracker, "poll")
                    .split(body()).parallelProcessing().executorService(PUBLISH_THREADS)
                        .setProperty(IntakeItem.CHANNEL, constant("completion"))
                        .to(BridgeEvent.PUBLISH)
                        .bean(tracker, "reported")
                    .end()
                .end();
    }
}
