package io.github.ncpsnapshotbridge.ncp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.testsupport.Answers;

/**
 * The create rules on their own: canned answers in, the next step out, time given by the test (a monotonic clock in
 * nanoseconds that only the test moves). Test settings: 3 attempts, 100-400 ms backoff, settle 2 s, outage after 3
 * failures in a row, tolerated for 20 s.
 */
class CreateAttemptsTest {

    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final SnapshotOrder ORDER = new SnapshotOrder("req-1", "937508", "db01", null, "default",
            Platform.CLASSIC, null, null);

    private long now = 1_000_000_000L;
    private final NcpGate gate = new NcpGate(10, 2, 3, Clock.systemUTC(), () -> now);
    private final CreateAttempts.Rules rules = new CreateAttempts.Rules(
            new RetryPolicy(3, Duration.ofMillis(100), Duration.ofMillis(400)), Duration.ofSeconds(20), SETTLE, gate,
            new NcpResponseParser());

    private CreateAttempts attempts(boolean mayHaveBeenSent) {
        return new CreateAttempts(rules, ORDER, mayHaveBeenSent, now);
    }

    private void pass(Duration d) {
        now += d.toNanos();
    }

    private static HttpReply created() throws IOException {
        return Answers.read(Platform.CLASSIC, 200, NcpResponseParserTest.resource("create-snapshot-example.xml"));
    }

    private static HttpReply json(int status, String body, String retryAfter) {
        HttpReply read = Answers.read(Platform.CLASSIC, status, body.getBytes(StandardCharsets.UTF_8));
        return new HttpReply(status, read.body(), retryAfter, read.answer());
    }

    private static final String TRY_LATER = "{\"responseError\":{\"returnCode\":\"1000\",\"returnMessage\":\"later\"}}";

    private static NcpSnapshot snapshot() {
        return new NcpSnapshot(Platform.CLASSIC, Map.of("blockStorageSnapshotInstanceNo", "42",
                "originalBlockStorageInstanceNo", "937508", "blockStorageSnapshotInstanceDescription",
                SnapshotMarker.description(null, "req-1")));
    }

    @Test
    void aRequestNeverSentIsSentAtOnceWithItsMarker() throws IOException {
        CreateAttempts a = attempts(false);
        CreateAttempts.Send send = assertInstanceOf(CreateAttempts.Send.class, a.first(now));
        assertFalse(send.retry());
        assertTrue(SnapshotMarker.marks(send.parameters().get("blockStorageSnapshotDescription"), "req-1"),
                send.parameters().toString());
        CreateAttempts.Finish finish = assertInstanceOf(CreateAttempts.Finish.class, a.answered(created(), now));
        CreateResult.Created result = assertInstanceOf(CreateResult.Created.class, finish.result());
        assertEquals(1, result.attempts());
        assertFalse(result.foundByLookup());
    }

    @Test
    void aRequestAnEarlierRunMayHaveSentIsLookedUpFirstAndFoundNotSentAgain() {
        CreateAttempts a = attempts(true);
        assertInstanceOf(CreateAttempts.LookUp.class, a.first(now));
        CreateAttempts.Finish finish = assertInstanceOf(CreateAttempts.Finish.class,
                a.lookedUp(Optional.of(snapshot()), now));
        CreateResult.Created result = assertInstanceOf(CreateResult.Created.class, finish.result());
        assertEquals(0, result.attempts());
        assertTrue(result.foundByLookup());
    }

    @Test
    void afterAnAnswerOfUnknownEffectNothingIsSentUntilLookUpsHaveSpannedTheSettleTime() {
        CreateAttempts a = attempts(false);
        a.first(now);
        // a 502 from the gateway: NCP may have made it
        assertInstanceOf(CreateAttempts.LookUp.class, a.answered(json(502, "{}", null), now));
        Duration waited = Duration.ZERO;
        CreateAttempts.Step step = a.lookedUp(Optional.empty(), now);
        while (step instanceof CreateAttempts.Wait wait) {
            assertTrue(wait.delay().compareTo(Duration.ofMillis(500)) <= 0, "looked up at least every 500 ms: " + wait);
            pass(wait.delay());
            waited = waited.plus(wait.delay());
            assertInstanceOf(CreateAttempts.LookUp.class, a.waited(now));
            step = a.lookedUp(Optional.empty(), now);
        }
        assertTrue(waited.compareTo(SETTLE) >= 0, "sent again only after the settle time: " + waited);
        CreateAttempts.Send again = assertInstanceOf(CreateAttempts.Send.class, step);
        assertTrue(again.retry());
    }

    @Test
    void aSnapshotThatShowsUpLateInTheListIsTheResult() {
        CreateAttempts a = attempts(false);
        a.first(now);
        a.noAnswer(new SocketTimeoutException("Read timed out"), now);
        CreateAttempts.Wait wait = assertInstanceOf(CreateAttempts.Wait.class, a.lookedUp(Optional.empty(), now));
        pass(wait.delay());
        a.waited(now);
        CreateAttempts.Finish finish = assertInstanceOf(CreateAttempts.Finish.class,
                a.lookedUp(Optional.of(snapshot()), now));
        assertTrue(assertInstanceOf(CreateResult.Created.class, finish.result()).foundByLookup());
    }

    @Test
    void aRefusedConnectionNeverReachedNcpAndIsRetriedWithoutALookUp() {
        CreateAttempts a = attempts(false);
        a.first(now);
        CreateAttempts.Wait wait = assertInstanceOf(CreateAttempts.Wait.class,
                a.noAnswer(new IOException(new ConnectException("Connection refused")), now));
        assertTrue(wait.delay().compareTo(Duration.ofMillis(50)) >= 0 && wait.delay().compareTo(Duration.ofMillis(100)) <= 0,
                "backoff before attempt 2: " + wait);
        pass(wait.delay());
        assertInstanceOf(CreateAttempts.Send.class, a.waited(now));
    }

    @Test
    void aRefusalIsNeverRetried() {
        CreateAttempts a = attempts(false);
        a.first(now);
        CreateAttempts.Finish finish = assertInstanceOf(CreateAttempts.Finish.class, a.answered(json(400,
                "{\"responseError\":{\"returnCode\":\"24800\",\"returnMessage\":\"no such volume\"}}", null), now));
        CreateResult.Refused refused = assertInstanceOf(CreateResult.Refused.class, finish.result());
        assertEquals(1, refused.attempts());
        assertFalse(refused.error().retryable());
    }

    @Test
    void a429PausesEveryCallForItsRetryAfterAndIsRetriedAfterIt() {
        CreateAttempts a = attempts(false);
        a.first(now);
        CreateAttempts.Wait wait = assertInstanceOf(CreateAttempts.Wait.class, a.answered(json(429,
                "{\"error\":{\"errorCode\":\"429\",\"message\":\"too many\"}}", "3"), now));
        assertEquals(Duration.ofSeconds(3), wait.delay());
        assertTrue(gate.admit().isDone() == false, "the gate holds every call during the pause");
    }

    @Test
    void retryableFailuresStopAtTheAttemptLimitWhenNcpIsNotInAnOutage() {
        CreateAttempts a = attempts(false);
        a.first(now);
        for (int i = 1; i < 3; i++) {
            CreateAttempts.Wait wait = assertInstanceOf(CreateAttempts.Wait.class, a.answered(json(503, TRY_LATER, null), now));
            pass(wait.delay());
            assertInstanceOf(CreateAttempts.Send.class, a.waited(now));
            gate.succeeded(); // other calls got through meanwhile: no outage
        }
        CreateAttempts.Finish finish = assertInstanceOf(CreateAttempts.Finish.class, a.answered(json(503, TRY_LATER, null), now));
        CreateResult.Refused refused = assertInstanceOf(CreateResult.Refused.class, finish.result());
        assertEquals(3, refused.attempts());
        assertTrue(refused.error().retryable());
    }

    @Test
    void anOutageStretchesRetriesUntilItsToleranceHasPassed() {
        CreateAttempts a = attempts(false);
        a.first(now);
        int sent = 1;
        CreateAttempts.Step step = a.answered(json(503, TRY_LATER, null), now);
        while (step instanceof CreateAttempts.Wait wait) {
            pass(wait.delay());
            assertInstanceOf(CreateAttempts.Send.class, a.waited(now));
            sent++;
            step = a.answered(json(503, TRY_LATER, null), now);
        }
        CreateResult.Refused refused = assertInstanceOf(CreateResult.Refused.class,
                assertInstanceOf(CreateAttempts.Finish.class, step).result());
        assertEquals(sent, refused.attempts());
        assertTrue(sent > 20, "retried through the 20 s outage: " + sent + " attempts");
    }

    @Test
    void aLookUpThatCannotBeMadeLeavesTheResultUnknownNeverSendsAgain() {
        CreateAttempts a = attempts(false);
        a.first(now);
        a.answered(json(502, "{}", null), now);
        CreateAttempts.Step step = a.lookUpFailed(new NcpLookupException("no answer"), now);
        int failures = 1;
        while (step instanceof CreateAttempts.Wait wait) {
            pass(wait.delay());
            assertInstanceOf(CreateAttempts.LookUp.class, a.waited(now));
            step = a.lookUpFailed(new NcpLookupException("no answer"), now);
            failures++;
            gate.succeeded();
        }
        CreateResult.Unknown unknown = assertInstanceOf(CreateResult.Unknown.class,
                assertInstanceOf(CreateAttempts.Finish.class, step).result());
        assertEquals(3, failures, "as many look-ups as attempts allowed");
        assertTrue(unknown.error().returnMessage().contains("whether NCP made the snapshot is unknown"),
                unknown.error().returnMessage());
    }

    @Test
    void theSettleTimeRunsFromTheMonotonicClockOfThisProcess() {
        // an earlier run's attempt: its wall-clock time plays no part; settling starts now
        CreateAttempts a = attempts(true);
        a.first(now);
        CreateAttempts.Wait wait = assertInstanceOf(CreateAttempts.Wait.class, a.lookedUp(Optional.empty(), now));
        pass(SETTLE.minusMillis(1));
        a.waited(now);
        assertInstanceOf(CreateAttempts.Wait.class, a.lookedUp(Optional.empty(), now),
                "a look-up begun 1 ms short of the settle time proves nothing: " + wait);
        pass(Duration.ofMillis(1));
        a.waited(now);
        assertInstanceOf(CreateAttempts.Send.class, a.lookedUp(Optional.empty(), now));
    }

    @Test
    void retryAfterInSecondsIsHonouredAndCapped() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), CreateAttempts.retryAfter("7"));
        assertEquals(Optional.of(Duration.ofMinutes(10)), CreateAttempts.retryAfter("99999"));
        assertEquals(Optional.empty(), CreateAttempts.retryAfter("soon"));
    }

    @Test
    void noAnswerInTimeIsATimeout() {
        assertEquals(ErrorCategory.TIMEOUT, CreateAttempts.errorOf(new SocketTimeoutException("Read timed out")).category());
        assertEquals(ErrorCategory.SERVER, CreateAttempts.errorOf(new ConnectException("refused")).category());
    }
}
