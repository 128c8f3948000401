package io.github.ncpsnapshotbridge.ncp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(60));

    @Test
    void delaysDoubleWithJitterAndStayUnderTheCap() {
        for (int i = 0; i < 200; i++) {
            long second = policy.delayBefore(2, null).toMillis();
            long third = policy.delayBefore(3, null).toMillis();
            long tenth = policy.delayBefore(10, null).toMillis();
            assertTrue(second >= 500 && second <= 1000, "attempt 2: " + second);
            assertTrue(third >= 1000 && third <= 2000, "attempt 3: " + third);
            assertTrue(tenth >= 30_000 && tenth <= 60_000, "capped: " + tenth);
        }
    }

    @Test
    void aLongerRetryAfterWins() {
        assertEquals(Duration.ofSeconds(30), policy.delayBefore(2, Duration.ofSeconds(30)));
        assertTrue(policy.delayBefore(2, Duration.ofMillis(1)).toMillis() >= 500);
    }

    @Test
    void retryAfterIsReadInSeconds() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), CreateAttempts.retryAfter(" 7 "));
        assertEquals(Optional.empty(), CreateAttempts.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT"));
        assertEquals(Optional.empty(), CreateAttempts.retryAfter(null));
        assertEquals(Optional.of(Duration.ofMinutes(10)), CreateAttempts.retryAfter("99999"), "capped");
    }

    @Test
    void atLeastOneAttempt() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO));
    }
}
