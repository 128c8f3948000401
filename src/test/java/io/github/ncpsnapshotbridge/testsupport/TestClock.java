package io.github.ncpsnapshotbridge.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a test moves by hand, to let leases run out without waiting. */
public final class TestClock extends Clock {

    private volatile Instant now;

    public TestClock(Instant start) {
        this.now = start;
    }

    private volatile Duration everyRead = Duration.ZERO;

    public void advance(Duration by) {
        now = now.plus(by);
    }

    /** From now on, every read moves the clock forward by {@code step} first: a wall clock that keeps stepping. */
    public void stepOnEveryRead(Duration step) {
        everyRead = step;
    }

    @Override
    public synchronized Instant instant() {
        if (!everyRead.isZero()) {
            now = now.plus(everyRead);
        }
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
