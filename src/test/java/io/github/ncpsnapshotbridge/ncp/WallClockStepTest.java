package io.github.ncpsnapshotbridge.ncp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.testsupport.JdkTransport;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFake.Reply;
import io.github.ncpsnapshotbridge.testsupport.TestClock;

/**
 * Issue 25, item 4: the settle time after a create of unknown effect was measured on the wall clock. Stepped forward
 * 60 s (NTP, a VM resumed) while NCP's list still lagged, the next look-up counted as settled, and the bridge created
 * the snapshot a second time. Settle now runs on a monotonic clock; the wall clock here jumps a minute at every read.
 */
class WallClockStepTest {



    @Test
    void aWallClockStepDuringSettleMakesNoSecondSnapshot() throws Exception {
        try (NcpFake ncp = new NcpFake()) {
            ncp.account("AKSTEP", "sk-step-only-not-a-secret");
            // the list shows a snapshot 2 s after it was made; the bridge waits 4 s before it counts as absent
            ncp.listLag(Duration.ofSeconds(2));
            String volume = NcpFake.randomVolume();
            ncp.script(volume, Reply.json(502, "{}").butMade());
            TestClock wall = new TestClock(Instant.now());
            wall.stepOnEveryRead(Duration.ofMinutes(1));
            NcpGate gate = new NcpGate(50, 4, 3, wall);
            NcpHttp http = new NcpHttp(gate, NcpCallMetrics.NONE,
                    new JdkTransport(Duration.ofSeconds(1), Duration.ofSeconds(2)));
            NcpCallFactory calls = new NcpCallFactory(ncp.baseUrl(), ncp.vpcBaseUrl(), Clock.systemUTC());
            NcpResponseParser parser = new NcpResponseParser();
            CreateAttempts attempts = new CreateAttempts(new CreateAttempts.Rules(
                    new RetryPolicy(3, Duration.ofMillis(100), Duration.ofMillis(400)), Duration.ofSeconds(20),
                    Duration.ofSeconds(4), gate, parser), new SnapshotOrder("step-1", volume, "step", null, "default",
                            Platform.CLASSIC, null, null), false, System.nanoTime());
            CreateResult result = carryOut(attempts, http, calls, new SnapshotLookup(http, calls, parser, gate),
                    new NcpCredentials("AKSTEP", "sk-step-only-not-a-secret"));
            CreateResult.Created created = assertInstanceOf(CreateResult.Created.class, result);
            assertTrue(created.foundByLookup(), "found by a look-up after the lost answer");
            assertEquals(1, ncp.snapshotsOf(volume).size(), "NCP holds one snapshot");
        }
    }

    /** Carries out each step the rules decide, on this thread (what the create route does without one). */
    static CreateResult carryOut(CreateAttempts attempts, NcpHttp http, NcpCallFactory calls, SnapshotLookup lookup,
            NcpCredentials account) throws Exception {
        CreateAttempts.Step step = attempts.first(System.nanoTime());
        while (!(step instanceof CreateAttempts.Finish)) {
            if (step instanceof CreateAttempts.Wait wait) {
                Thread.sleep(wait.millis());
                step = attempts.waited(System.nanoTime());
            } else if (step instanceof CreateAttempts.LookUp lookUp) {
                try {
                    step = attempts.lookedUp(lookup.find(lookUp.order(), account), System.nanoTime());
                } catch (NcpLookupException e) {
                    step = attempts.lookUpFailed(e, System.nanoTime());
                }
            } else {
                CreateAttempts.Send send = (CreateAttempts.Send) step;
                try {
                    step = attempts.answered(http.send(() -> calls.prepare(send.platform(),
                            NcpCallFactory.CREATE_SNAPSHOT, send.parameters(), account)), System.nanoTime());
                } catch (IOException e) {
                    step = attempts.noAnswer(e, System.nanoTime());
                }
            }
        }
        return ((CreateAttempts.Finish) step).result();
    }
}
