package io.github.ncpsnapshotbridge.ncp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The way every call to NCP goes, whichever intake it serves: at most {@code maxCallsPerSecond} calls start per
 * second, at most {@code maxConcurrent} are under way at once, and after a 429 nobody calls until the gateway's
 * Retry-After (or a backoff) has passed. It also tells whether NCP is in an outage: {@code outageAfter} retryable
 * failures in a row, with no success between them.
 * <p>
 * A call waiting here holds no thread: {@link #admit()} reserves the call's moment at once and completes when it comes
 * (a timer of the gate's own completes it), or when a call under way {@linkplain #release() ends} and hands its place
 * on.
 * <p>
 * Not Camel's {@code throttle} or {@code circuitBreaker}: the ceiling covers creates, look-ups and status polls made
 * from any thread and route together, in every sliding second as NCP sees it, and a 429's Retry-After pauses all of
 * them; the outage state stretches retries rather than failing calls fast.
 */
public class NcpGate {

    private final Clock clock;
    private final Ticker ticker;
    private final int maxConcurrent;
    private final long intervalNanos;
    private final int outageAfter;
    /** Completes admissions when their moment comes: one daemon thread, which only ever completes futures. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ncp-gate");
        t.setDaemon(true);
        return t;
    });
    /** Calls let through and not released yet; guarded by {@code this}. */
    private int underWay;
    /** Admissions waiting for a call under way to end, oldest first; guarded by {@code this}. */
    private final ArrayDeque<CompletableFuture<Void>> queued = new ArrayDeque<>();
    /** The earliest moment the next call may start (the spacing); guarded by {@code this}. */
    private long nextSlotNanos;
    private volatile long pausedUntilNanos;
    private final AtomicInteger failuresInARow = new AtomicInteger();
    private volatile Instant outageSince;
    private volatile long outageSinceNanos;
    private final AtomicInteger waiting = new AtomicInteger();
    /** The moments of the last {@code perWindow} calls let through, oldest first; guarded by {@code this}. */
    private final ArrayDeque<Long> granted = new ArrayDeque<>();
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
        this.nextSlotNanos = ticker.nanos();
        this.maxConcurrent = maxConcurrent;
        this.intervalNanos = (long) (1_000_000_000L / maxCallsPerSecond);
        this.outageAfter = outageAfter;
        // a ceiling in the thousands is a ceiling lifted (benchmarks): the window is not kept then
        this.perWindow = maxCallsPerSecond > 1000 ? 0 : Math.max(1, (int) Math.floor(maxCallsPerSecond));
    }

    /**
     * Completes when this caller may send one call; {@link #release()} must follow the call. Holds no thread
     * meanwhile: the caller goes on with what the future runs.
     */
    public CompletableFuture<Void> admit() {
        CompletableFuture<Void> admitted = new CompletableFuture<>();
        waiting.incrementAndGet();
        admitted.whenComplete((ignored, error) -> waiting.decrementAndGet());
        boolean mayGo;
        synchronized (this) {
            mayGo = underWay < maxConcurrent;
            if (mayGo) {
                underWay++;
            } else {
                queued.addLast(admitted);
            }
        }
        if (mayGo) {
            reserveMoment(admitted);
        }
        return admitted;
    }

    /**
     * For a caller that has a thread to wait with: blocks until it may send one call ({@link #admit()}); {@link
     * #release()} must follow.
     */
    public void acquire() throws InterruptedException {
        CompletableFuture<Void> admitted = admit();
        try {
            admitted.get();
        } catch (InterruptedException e) {
            // the place it was given later is handed on at once
            admitted.whenComplete((ignored, error) -> release());
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Gives a call that holds a place under way its moment: the spacing, the sliding second and any pause. */
    private void reserveMoment(CompletableFuture<Void> admitted) {
        long at;
        synchronized (this) {
            at = Math.max(ticker.nanos(), Math.max(pausedUntilNanos, nextSlotNanos));
            if (perWindow > 0) {
                if (granted.size() >= perWindow) {
                    at = Math.max(at, granted.pollFirst() + WINDOW_NANOS);
                }
                granted.addLast(at);
            }
            nextSlotNanos = at + intervalNanos;
        }
        letThroughAt(admitted, at);
    }

    private void letThroughAt(CompletableFuture<Void> admitted, long at) {
        // a 429 heard since the moment was reserved pauses this call too
        long due = Math.max(at, pausedUntilNanos);
        long wait = due - ticker.nanos();
        if (wait <= 0) {
            admitted.complete(null);
        } else {
            timer.schedule(() -> letThroughAt(admitted, due), wait, TimeUnit.NANOSECONDS);
        }
    }

    /** A call let through has ended: its place goes to the oldest waiting admission, if any. */
    public void release() {
        CompletableFuture<Void> next;
        synchronized (this) {
            next = queued.pollFirst();
            if (next == null) {
                underWay--;
            }
        }
        if (next != null) {
            reserveMoment(next);
        }
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
}
