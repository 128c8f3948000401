package io.github.ncpsnapshotbridge.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.testsupport.DropFolderResource;
import io.github.ncpsnapshotbridge.testsupport.DropFolders;
import io.github.ncpsnapshotbridge.testsupport.InjectDropFolders;
import io.github.ncpsnapshotbridge.testsupport.InjectNcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFakeResource;
import io.github.ncpsnapshotbridge.testsupport.Requests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Requests waiting out an NCP outage (back-offs, look-ups to settle, the outage tolerance) hold no worker: while more of
 * them wait than there are workers, a request that needs no NCP call (a {@code rejected}, a {@code duplicate}) is
 * answered at once.
 */
@QuarkusTest
@TestProfile(WaitsHoldNoWorkerTest.FourWorkers.class)
@QuarkusTestResource(NcpFakeResource.class)
@QuarkusTestResource(DropFolderResource.class)
class WaitsHoldNoWorkerTest {

    private static final int WAITING = 20;

    /** The default number of workers. */
    public static class FourWorkers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bridge.workers", "4");
        }
    }

    @InjectDropFolders
    DropFolders folders;

    @InjectNcpFake
    NcpFake ncp;

    @Test
    void duringAnOutageRequestsThatNeedNoCallAreAnsweredAtOnce() throws Exception {
        String id = "outage-" + UUID.randomUUID();
        folders.drop(id + "-done.json", Requests.of(id + "-done", "660000").json());
        await().atMost(Duration.ofSeconds(20)).until(() -> folders.eventsForRequestIds(id + "-done").size() == 1);

        ncp.outage(Duration.ofSeconds(60));
        try {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < WAITING; i++) {
                lines.append(Requests.of(id + "-waiting-" + i, Integer.toString(660_001 + i)).json()).append('\n');
            }
            folders.drop(id + "-waiting.jsonl", lines.toString());
            // more requests than there are workers (4) are under way at NCP, and wait
            await().atMost(Duration.ofSeconds(20)).until(() -> ncp.calls().stream()
                    .filter(c -> c.isCreate() && c.volume() != null && c.volume().startsWith("6600"))
                    .map(NcpFake.Call::volume).distinct().count() > 4);

            long dropped = System.nanoTime();
            folders.drop(id + "-invalid.json", Requests.of(id + "-invalid", "not-a-volume").json());
            folders.drop(id + "-again.json", Requests.of(id + "-done", "660000").json());
            await().atMost(Duration.ofSeconds(10)).until(() -> !folders.eventsForRequestIds(id + "-invalid").isEmpty()
                    && folders.eventsForRequestIds(id + "-done").size() == 2);
            long tookMs = (System.nanoTime() - dropped) / 1_000_000;
            assertTrue(tookMs < 3000, "rejected and duplicate answered " + tookMs + " ms after they were dropped");
            assertTrue(folders.eventsForRequestIds(id + "-waiting").isEmpty(), "the others still wait");
        } finally {
            ncp.outage(Duration.ZERO);
        }
        // the outage over, every waiting request ends too
        await().atMost(Duration.ofSeconds(60)).until(() -> folders.eventsForRequestIds(id + "-waiting").size() == WAITING);
    }
}
