package io.github.ncpsnapshotbridge.ncp;

/**
 * Monotonic time in nanoseconds, for what guards correctness within this process: the settle time after an attempt of
 * unknown effect, the outage tolerance, a 429's pause. A step of the wall clock (NTP, a VM resumed) changes none of it.
 */
@FunctionalInterface
public interface Ticker {

    Ticker SYSTEM = System::nanoTime;

    long nanos();
}
