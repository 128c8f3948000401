package io.github.ncpsnapshotbridge.ncp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.testsupport.JdkTransport;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;

/**
 * What is decided at the moment a create leaves: its signature and the caller's claim. Issue 25, item 8: calls were
 * signed before they waited at the gate, so a long 429 pause sent them with a stale time stamp (refused as auth).
 * Item 3: the claim was checked before the gate too, so an owner paused past its lease in there sent a create another
 * replica had already made.
 */
class SendMomentTest {

    static final ExecutorService CALLS = Executors.newCachedThreadPool();

    private static final NcpCredentials ACCOUNT = new NcpCredentials("AKMOMENT", "sk-moment-only-not-a-secret");

    private NcpFake ncp;
    private NcpGate gate;
    private NcpHttp http;
    private NcpCallFactory calls;
    private SnapshotCreator creator;

    @BeforeEach
    void start() throws Exception {
        ncp = new NcpFake();
        ncp.account(ACCOUNT.accessKey(), ACCOUNT.secretKey());
        gate = new NcpGate(50, 4, 3, Clock.systemUTC());
        http = new NcpHttp(gate, NcpCallMetrics.NONE, new JdkTransport(Duration.ofSeconds(1), Duration.ofSeconds(2)),
                CALLS);
        calls = new NcpCallFactory(ncp.baseUrl(), ncp.vpcBaseUrl(), Clock.systemUTC());
        NcpResponseParser parser = new NcpResponseParser();
        creator = new SnapshotCreator(http, calls, parser,
                gate, new SnapshotLookup(http, calls, parser, gate),
                new RetryPolicy(3, Duration.ofMillis(100), Duration.ofMillis(400)), Duration.ofSeconds(20),
                Duration.ofSeconds(2), Ticker.SYSTEM, NcpCallMetrics.NONE, CALLS);
    }

    /** What a create came to; what the check before sending threw, as thrown. */
    static CreateResult outcome(CompletableFuture<CreateResult> create) throws Exception {
        try {
            return create.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException thrown) {
                throw thrown;
            }
            throw e;
        }
    }

    @AfterEach
    void stop() throws Exception {
        ncp.close();
    }

    @Test
    void aCallIsSignedWhenTheGateLetsItThroughNotBefore() throws Exception {
        gate.throttled(Duration.ofMillis(1500));
        long asked = System.currentTimeMillis();
        AtomicLong signedAt = new AtomicLong();
        http.send(() -> {
            signedAt.set(System.currentTimeMillis());
            return calls.prepare(Platform.CLASSIC, NcpCallFactory.LIST_SNAPSHOTS, java.util.Map.of(), ACCOUNT);
        }, NcpCallFactory.LIST_SNAPSHOTS);
        assertTrue(signedAt.get() - asked >= 1400, "signed " + (signedAt.get() - asked) + " ms after asking, within the pause");
    }

    @Test
    void aClaimThatRunsOutWhileTheCreateWaitsAtTheGateSendsNothing() {
        String volume = NcpFake.randomVolume();
        gate.throttled(Duration.ofMillis(1500));
        long leaseEnds = System.nanoTime() + Duration.ofMillis(500).toNanos();
        IllegalStateException lost = assertThrows(IllegalStateException.class, () -> outcome(creator.create(
                new SnapshotOrder("moment-1", volume, "moment", null, "default", Platform.CLASSIC, null, null), ACCOUNT, null,
                () -> {
                    if (System.nanoTime() - leaseEnds > 0) {
                        throw new IllegalStateException("the claim's lease ran out");
                    }
                })));
        assertEquals("the claim's lease ran out", lost.getMessage());
        assertTrue(ncp.callsFor(volume).isEmpty(), "no create left: " + ncp.callsFor(volume));
        assertEquals(0, ncp.snapshotsOf(volume).size());
    }
}
