package io.github.ncpsnapshotbridge.ncp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The way every call to NCP goes, whichever intake it serves: at most {@code maxCallsPerSecond} calls start per
 * second, at most {@code maxConcurrent} are under way at once, and after a 429 nobody calls until the gateway's
 * Retry-After (or a backoff) has passed. It also tells whether NCP is in an outage: {@code outageAfter} retryable
 * failures in a row, with no success between them.
 * <p>
 * Not Camel's {@code throttle} or {@code circuitBreaker}: the ceiling covers creates, look-ups and status polls made
 * from any thread and route together, in every sliding second as NCP sees it, and a 429's Retry-After pauses all of
 * them; the outage state stretches retries rather than failing calls fast.
 */
public class NcpGate {

    private final Clock clock;
    private final Ticker ticker;
    private final Semaphore concurrent;
    private final long intervalNanos;
    private final int outageAfter;
    private long nextSlotNanos = System.nanoTime();
    private volatile long pausedUntilNanos;
    private final AtomicInteger failuresInARow = new AtomicInteger();
    private volatile Instant outageSince;
    private volatile long outageSinceNanos;
    private final AtomicInteger waiting = new AtomicInteger();
    /** When the last {@code perWindow} calls were let through, oldest first. */
    private final java.util.ArrayDeque<Long> granted = new java.util.ArrayDeque<>();
    private final int perWindow;
    /**
     * A second, and a margin for the jitter between letting a call through and its arrival: no sliding second as NCP
     * sees it holds more calls than the ceiling.
     */
    static final long WINDOW_NANOS = 1_025_000_000L;

    public NcpGate(double maxCallsPerSecond, int maxConcurrent, int outageAfter, Clock clock) {
        this(maxCallsPerSecond, maxConcurrent, outageAfter, clock, Ticker.SYSTEM);
    }

    /** {@code clock} only says when an outage began (health); {@code ticker} times every wait and the outage's length. */
    public NcpGate(double maxCallsPerSecond, int maxConcurrent, int outageAfter, Clock clock, Ticker ticker) {
        if (maxCallsPerSecond <= 0 || maxConcurrent <= 0) {
            throw new IllegalArgumentException("the NCP call limits must be positive");
        }
        this.clock = clock;
        this.ticker = ticker;
        this.pausedUntilNanos = ticker.nanos();
        this.concurrent = new Semaphore(maxConcurrent, true);
        this.intervalNanos = (long) (1_000_000_000L / maxCallsPerSecond);
        this.outageAfter = outageAfter;
        // a ceiling in the thousands is a ceiling lifted (benchmarks): the window is not kept then
        this.perWindow = maxCallsPerSecond > 1000 ? 0 : Math.max(1, (int) Math.floor(maxCallsPerSecond));
    }

    /** Blocks until this caller may send one call; {@link #release()} must follow. */
    public void acquire() throws InterruptedException {
        waiting.incrementAndGet();
        try {
            concurrent.acquire();
            try {
                sleepUntil(pausedUntilNanos);
                long wait;
                synchronized (this) {
                    long now = System.nanoTime();
                    long slot = Math.max(now, nextSlotNanos);
                    nextSlotNanos = slot + intervalNanos;
                    wait = slot - now;
                }
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                awaitWindow();
            } catch (InterruptedException | RuntimeException e) {
                concurrent.release();
                throw e;
            }
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** Spacing alone lets a woken-late caller and the next one share a second; the actual grant times decide. */
    private void awaitWindow() throws InterruptedException {
        if (perWindow == 0) {
            return;
        }
        synchronized (granted) {
            while (granted.size() >= perWindow) {
                long wait = granted.peekFirst() + WINDOW_NANOS - System.nanoTime();
                if (wait <= 0) {
                    granted.pollFirst();
                } else {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            granted.addLast(System.nanoTime());
        }
    }

    public void release() {
        concurrent.release();
    }

    /** The gateway throttled us: nobody calls for {@code pause}. */
    public synchronized void throttled(Duration pause) {
        long until = ticker.nanos() + pause.toNanos();
        if (until - pausedUntilNanos > 0) {
            pausedUntilNanos = until;
        }
    }

    public void succeeded() {
        failuresInARow.set(0);
        outageSince = null;
    }

    public void failedRetryably() {
        if (failuresInARow.incrementAndGet() >= outageAfter && outageSince == null) {
            outageSinceNanos = ticker.nanos();
            outageSince = clock.instant();
        }
    }

    /** Whether NCP is in an outage that began less than {@code tolerance} ago, by the monotonic clock. */
    public boolean inOutageShorterThan(Duration tolerance) {
        return outageSince != null && ticker.nanos() - outageSinceNanos < tolerance.toNanos();
    }

    /** When the current outage began, or null when NCP is answering. */
    public Instant outageSince() {
        return outageSince;
    }

    /** Calls waiting for a slot right now (a sign of the rate ceiling at work). */
    public int waiting() {
        return waiting.get();
    }

    private void sleepUntil(long untilNanos) throws InterruptedException {
        long ms = (untilNanos - ticker.nanos()) / 1_000_000;
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }
}
