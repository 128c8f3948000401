package io.github.ncpsnapshotbridge.ncp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class NcpGateTest {

    @Test
    void callsAreSpacedAndBoundedInNumber() throws Exception {
        NcpGate gate = new NcpGate(20, 2, 3, Clock.systemUTC());
        List<Long> starts = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 20; i++) {
            pool.submit(() -> {
                gate.acquire();
                try {
                    starts.add(System.nanoTime());
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    Thread.sleep(20);
                    running.decrementAndGet();
                } finally {
                    gate.release();
                }
                return null;
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(most.get() <= 2, "at most 2 at once, saw " + most.get());
        List<Long> sorted = starts.stream().sorted().toList();
        long spanMs = (sorted.get(19) - sorted.get(0)) / 1_000_000;
        assertTrue(spanMs >= 900, "20 calls at 20/s span about a second, took " + spanMs + " ms");
    }

    @Test
    void aBurstNeverPutsMoreCallsThanTheCeilingIntoAnySlidingSecond() throws Exception {
        // the default ceiling, with the gate made long before the burst (as in a running bridge)
        NcpGate gate = new NcpGate(10, 16, 3, Clock.systemUTC());
        Thread.sleep(300);
        java.util.List<Long> started = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            java.util.List<java.util.concurrent.Future<?>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 25; i++) {
                calls.add(pool.submit(() -> {
                    gate.acquire();
                    started.add(System.nanoTime());
                    gate.release();
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> call : calls) {
                call.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        java.util.List<Long> times = started.stream().sorted().toList();
        for (long from : times) {
            long inWindow = times.stream().filter(t -> t >= from && t < from + 1_000_000_000L).count();
            assertTrue(inWindow <= 10, inWindow + " calls in one second, ceiling 10");
        }
    }

    @Test
    void threeRetryableFailuresInARowMakeAnOutageUntilASuccess() {
        NcpGate gate = new NcpGate(10, 4, 3, Clock.systemUTC());
        gate.failedRetryably();
        gate.failedRetryably();
        assertNull(gate.outageSince());
        gate.failedRetryably();
        assertNotNull(gate.outageSince());
        gate.succeeded();
        assertNull(gate.outageSince());
    }

    @Test
    void throttlingPausesEveryone() throws Exception {
        NcpGate gate = new NcpGate(1000, 4, 3, Clock.systemUTC());
        gate.throttled(Duration.ofMillis(400));
        long start = System.nanoTime();
        gate.acquire();
        gate.release();
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 350);
        assertEquals(0, gate.waiting());
    }
}
