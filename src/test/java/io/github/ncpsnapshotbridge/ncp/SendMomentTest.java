package io.github.ncpsnapshotbridge.ncp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.testsupport.JdkTransport;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;

/**
 * A call is signed at the moment it leaves. Issue 25, item 8: calls were signed before they waited at the gate, so a
 * long 429 pause sent them with a stale time stamp (refused as auth). (Item 3, the claim checked at that moment too,
 * is the create route's: {@code pipeline.ClaimCheckedAtSendTest}.)
 */
class SendMomentTest {

    private static final NcpCredentials ACCOUNT = new NcpCredentials("AKMOMENT", "sk-moment-only-not-a-secret");

    private NcpFake ncp;
    private NcpGate gate;
    private NcpHttp http;
    private NcpCallFactory calls;

    @BeforeEach
    void start() throws Exception {
        ncp = new NcpFake();
        ncp.account(ACCOUNT.accessKey(), ACCOUNT.secretKey());
        gate = new NcpGate(50, 4, 3, Clock.systemUTC());
        http = new NcpHttp(gate, NcpCallMetrics.NONE, new JdkTransport(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        calls = new NcpCallFactory(ncp.baseUrl(), ncp.vpcBaseUrl(), Clock.systemUTC());
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
        });
        assertTrue(signedAt.get() - asked >= 1400, "signed " + (signedAt.get() - asked) + " ms after asking, within the pause");
    }
}
