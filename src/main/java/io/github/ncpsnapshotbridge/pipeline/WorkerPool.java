package io.github.ncpsnapshotbridge.pipeline;

import io.github.ncpsnapshotbridge.settings.BridgeConfig;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolProfileBuilder;

/**
 * The threads that work on requests, shared by every intake: a file or message holding many requests is worked on by
 * up to {@code BRIDGE_WORKERS} of them at once. NCP's own limits (calls per second, calls at once) apply on top.
 */
@ApplicationScoped
public class WorkerPool {

    /** The registry name intake routes refer to. */
    public static final String NAME = "bridgeWorkers";

    @Produces
    @Named(NAME)
    @ApplicationScoped
    ExecutorService workers(BridgeConfig config) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(config.workers(), config.workers(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "bridge-worker-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        return pool;
    }

    /**
     * A Camel thread pool profile of {@code BRIDGE_WORKERS} threads and an unbounded queue, for a route's
     * {@code parallelProcessing().executorService(profile)}.
     */
    static void registerProfile(CamelContext context, String profile, BridgeConfig config) {
        context.getExecutorServiceManager().registerThreadPoolProfile(new ThreadPoolProfileBuilder(profile)
                .poolSize(config.workers()).maxPoolSize(config.workers()).maxQueueSize(-1).build());
    }

    /**
     * Camel has given requests under way their shutdown grace already; whatever still runs is cut off (its input was
     * not acknowledged, so it comes back), so that the process ends.
     */
    void shutdown(@Disposes @Named(NAME) ExecutorService workers) throws InterruptedException {
        workers.shutdown();
        if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
            workers.shutdownNow();
        }
    }
}
