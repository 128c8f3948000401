package io.github.ncpsnapshotbridge.pipeline;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;

/**
 * The threads that send NCP calls and look-ups once the gate lets them go, and wait for NCP's answer; the gate keeps
 * them to {@code BRIDGE_NCP_MAX_CONCURRENT_CALLS} at once. Nothing waits on them for the gate, a back-off or a settle
 * time: those are scheduled.
 */
@ApplicationScoped
public class NcpCallThreads {

    public static final String NAME = "ncpCalls";

    @Produces
    @ApplicationScoped
    @Named(NAME)
    ExecutorService ncpCalls() {
        AtomicInteger n = new AtomicInteger();
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ncp-call-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void close(@Disposes @Named(NAME) ExecutorService ncpCalls) {
        ncpCalls.shutdownNow();
    }
}
