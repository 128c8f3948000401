package io.github.ncpsnapshotbridge.pipeline;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.idempotency.ClaimResult;
import io.github.ncpsnapshotbridge.idempotency.FileIdempotencyStore;
import io.github.ncpsnapshotbridge.metrics.BridgeMetrics;
import io.github.ncpsnapshotbridge.ncp.Ticker;
import io.github.ncpsnapshotbridge.settings.BridgeConfig;
import io.github.ncpsnapshotbridge.testsupport.DropFolderResource;
import io.github.ncpsnapshotbridge.testsupport.NcpFakeResource;
import io.github.ncpsnapshotbridge.testsupport.TestClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A claim of its own {@link RequestClaims}, on the application's settings and a journal of its own. */
@QuarkusTest
@QuarkusTestResource(NcpFakeResource.class)
@QuarkusTestResource(DropFolderResource.class)
class RequestClaimsTest {

    @Inject
    BridgeConfig config;

    @Inject
    EventFactory events;

    @Inject
    Clock clock;

    @Inject
    BridgeMetrics metrics;

    @Inject
    CamelContext camel;

    @Test
    void aClaimThatBecomesDurableWhileTheWorkersStopEndsItsRequestInsteadOfLeavingItWaiting() throws Exception {
        Path dir = Path.of("target", "test-runs", "claims-" + UUID.randomUUID()).toAbsolutePath();
        CompletableFuture<Void> diskDone = new CompletableFuture<>();
        ExecutorService workers = Executors.newSingleThreadExecutor();
        try (FileIdempotencyStore store = new FileIdempotencyStore(dir, Duration.ofDays(7), clock) {
            @Override
            public CompletableFuture<ClaimResult> claimAsync(String requestId, String owner, Instant leaseUntil,
                    String payload) {
                // the claim is durable only once the test says so
                return super.claimAsync(requestId, owner, leaseUntil, payload).thenCombine(diskDone, (r, ignored) -> r);
            }
        }) {
            RequestClaims claims = new RequestClaims(store, events, clock, Ticker.SYSTEM, config, metrics, workers);
            CompletableFuture<Object> claimed = claims.claim(
                    new SnapshotRequest("stopping-" + UUID.randomUUID(), false, "1", null, null, "default"),
                    new DefaultExchange(camel));
            workers.shutdown();
            diskDone.complete(null);
            // the request ends unfinished (its input is not acknowledged and comes back), rather than never
            assertThrows(ExecutionException.class, () -> claimed.get(10, TimeUnit.SECONDS));
        } finally {
            workers.shutdownNow();
        }
    }

    /**
     * This instance's wall clock steps back (NTP, a VM resumed) while its lease runs out: the store's time still looks
     * far off, but the monotonic reckoning says the lease is spent, so the claim is renewed before a create leaves, and
     * it is lost when another owner has it by then.
     */
    @Test
    void aWallClockSteppedBackDoesNotStretchALeaseBeforeACreateLeaves() throws Exception {
        Path dir = Path.of("target", "test-runs", "claims-" + UUID.randomUUID()).toAbsolutePath();
        TestClock wall = new TestClock(Instant.now());
        AtomicLong nanos = new AtomicLong();
        ExecutorService workers = Executors.newSingleThreadExecutor();
        try (FileIdempotencyStore store = new FileIdempotencyStore(dir, Duration.ofDays(7), wall) {
            @Override
            public boolean renew(String requestId, String owner, Instant leaseUntil, boolean sending) {
                // another replica, judging by its own correct clock, has taken the claim over meanwhile
                return false;
            }
        }) {
            RequestClaims claims = new RequestClaims(store, events, wall, nanos::get, config, metrics, workers);
            Object claimed = claims.claim(new SnapshotRequest("stepped-" + UUID.randomUUID(), false, "1", null, null,
                    "default"), new DefaultExchange(camel)).get(10, TimeUnit.SECONDS);
            ClaimedRequest request = (ClaimedRequest) claimed;
            nanos.addAndGet(config.idempotency().lease().plusSeconds(1).toNanos());
            wall.advance(Duration.ofMinutes(-1));
            assertThrows(ClaimLost.class, () -> claims.confirm(request));
        } finally {
            workers.shutdownNow();
        }
    }
}
