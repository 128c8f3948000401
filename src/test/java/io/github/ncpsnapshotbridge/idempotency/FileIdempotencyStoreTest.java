package io.github.ncpsnapshotbridge.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.health.IdempotencyStoreLiveness;
import io.github.ncpsnapshotbridge.testsupport.TestClock;

class FileIdempotencyStoreTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00Z"));

    private static Path dir() {
        return Path.of("target", "test-runs", "journal-" + UUID.randomUUID()).toAbsolutePath();
    }

    private FileIdempotencyStore store(Path dir) {
        return new FileIdempotencyStore(dir, Duration.ofDays(7), clock);
    }

    private Instant lease() {
        return clock.instant().plus(LEASE);
    }

    @Test
    void aNewRequestIsClaimedOnceAndDoneIsFinal() throws Exception {
        try (FileIdempotencyStore store = store(dir())) {
            assertEquals(ClaimResult.Kind.NEW, store.claim("r1", "a", lease(), "{\"v\":1}").kind());
            assertEquals(ClaimResult.Kind.TAKEN_OVER, store.claim("r1", "a", lease(), null).kind(), "the owner's own");
            store.done("r1", "a", "created");
            assertEquals(ClaimResult.Kind.DONE, store.claim("r1", "b", lease(), null).kind());
            assertFalse(store.renew("r1", "a", lease()), "done is final");
        }
    }

    @Test
    void aRetryableFailureReopensTheRequestIdForANewRoundThatCountsOnAndSurvivesARestart() throws Exception {
        Path dir = dir();
        String failed = new RecordedOutcome("failed", "event-1", 3, null, null,
                "{\"category\":\"server\",\"retryable\":true}", true, null, null, 0).toJson();
        String refused = new RecordedOutcome("failed", "event-2", 1, null, null,
                "{\"category\":\"client\",\"retryable\":false}", false, null, null, 0).toJson();
        try (FileIdempotencyStore store = store(dir)) {
            store.claim("r1", "a", lease(), "{\"v\":1}");
            store.done("r1", "a", failed);
            store.claim("r2", "a", lease(), "{\"v\":2}");
            store.done("r2", "a", refused);
            ClaimResult again = store.claim("r1", "b", lease(), "{\"v\":1}");
            assertEquals(ClaimResult.Kind.NEW, again.kind(), "a retryable failure is attempted again");
            assertEquals(null, again.uncertainSince(), "nothing was in flight: no look-up needed");
            assertEquals(3, RecordedOutcome.parse(again.record().outcome()).attempts(), "the new round knows the first");
            assertEquals(ClaimResult.Kind.DONE, store.claim("r2", "b", lease(), null).kind(), "a refusal is final");
            assertTrue(store.renew("r1", "b", lease()));
            assertEquals(failed, store.find("r1").orElseThrow().outcome(), "renewals carry the round before");
        }
        try (FileIdempotencyStore replayed = store(dir)) {
            assertTrue(replayed.find("r1").orElseThrow().inFlight(), "the new round is what the journal says");
        }
    }

    @Test
    void aClaimWhoseCreatesBeganToLeaveSaysSoFromItsRenewalOnThroughARestartButNotForANewOwner() throws Exception {
        Path dir = dir();
        try (FileIdempotencyStore store = store(dir)) {
            store.claim("s1", "a", lease(), "{}");
            assertFalse(store.find("s1").orElseThrow().sending());
            assertFalse(store.renew("s1", "b", lease(), true), "not the owner");
            assertTrue(store.renew("s1", "a", lease(), true));
            assertTrue(store.renew("s1", "a", lease()));
            assertTrue(store.find("s1").orElseThrow().sending(), "a later renewal keeps it");
        }
        try (FileIdempotencyStore replayed = store(dir)) {
            assertTrue(replayed.find("s1").orElseThrow().sending(), "replayed from the journal");
            replayed.claim("s1", "c", lease(), null);
            assertFalse(replayed.find("s1").orElseThrow().sending(), "a new owner has sent nothing yet");
        }
    }

    @Test
    void onlyANewRoundsClaimReopensARetryableFailureNotALateRenewalOfTheRoundBefore() {
        String failed = new RecordedOutcome("failed", "event-1", 3, null, null, null, true, null, null, 0).toJson();
        RequestRecord done = new RequestRecord("r1", RequestRecord.State.DONE, "a", null, "{}", failed, clock.instant());
        RequestRecord lateRenewal = new RequestRecord("r1", RequestRecord.State.IN_FLIGHT, "a", lease(), "{}", null,
                clock.instant());
        RequestRecord newRound = new RequestRecord("r1", RequestRecord.State.IN_FLIGHT, "b", lease(), "{}", failed,
                clock.instant());
        assertFalse(done.supersededBy(lateRenewal, Duration.ofDays(7)));
        assertTrue(done.supersededBy(newRound, Duration.ofDays(7)));
        String created = new RecordedOutcome("created", "event-3", 1, "42", "INIT", null, false, null, null, 0).toJson();
        RequestRecord finished = new RequestRecord("r1", RequestRecord.State.DONE, "a", null, "{}", created,
                clock.instant());
        assertFalse(finished.supersededBy(new RequestRecord("r1", RequestRecord.State.IN_FLIGHT, "b", lease(), "{}",
                created, clock.instant()), Duration.ofDays(7)), "created is final");
    }

    @Test
    void aClaimOfAnEarlierProcessIsAnOrphanAndIsTakenOverWithItsJournaledRequest() throws Exception {
        Path dir = dir();
        try (FileIdempotencyStore first = store(dir)) {
            first.claim("r1", "process-1", lease(), "{\"volume\":\"42\"}");
        }
        try (FileIdempotencyStore second = store(dir)) {
            assertEquals(1, second.inFlight().size());
            ClaimResult result = second.claim("r1", "process-2", lease(), null);
            assertEquals(ClaimResult.Kind.TAKEN_OVER, result.kind(), "the lock proves process-1 is gone");
            assertEquals("{\"volume\":\"42\"}", result.record().payload());
            assertEquals(clock.instant(), result.uncertainSince(), "its create may have gone out until now");
            assertEquals("process-2", second.find("r1").orElseThrow().owner());
        }
    }

    @Test
    void aSecondProcessOnTheSameJournalWaitsUntilTheFirstLetsGo() throws Exception {
        Path dir = dir();
        FileIdempotencyStore first = store(dir);
        first.claim("r1", "a", lease(), "{}");
        try (FileIdempotencyStore second = store(dir)) {
            assertTrue(second.inFlight().isEmpty(), "a standby does not read the journal while another writes it");
            CompletableFuture<ClaimResult> waiting = CompletableFuture.supplyAsync(() -> second.claim("r2", "b", lease(), "{}"));
            try {
                waiting.get(1500, TimeUnit.MILLISECONDS);
                throw new AssertionError("the second writer did not wait for the journal's lock");
            } catch (TimeoutException expected) {
                // still waiting, as it should
            }
            first.close();
            assertEquals(ClaimResult.Kind.NEW, waiting.get(10, TimeUnit.SECONDS).kind());
            assertEquals(ClaimResult.Kind.TAKEN_OVER, second.claim("r1", "b", lease(), null).kind());
        }
    }

    @Test
    void aStoreWaitsWhileAnotherProcessHoldsTheJournal() throws Exception {
        Path dir = dir();
        Files.createDirectories(dir);
        // another process (a plain JVM) takes the journal's lock and holds it until it is killed
        Path holder = dir.resolve("LockHolder.java");
        Files.writeString(holder, """
                import java.nio.channels.FileChannel;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                public class LockHolder {
                    public static void main(String[] args) throws Exception {
                        FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        if (channel.tryLock() == null) { System.exit(3); }
                        System.out.println("locked");
                        Thread.sleep(120_000);
                    }
                }
                """);
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                holder.toString(), dir.resolve(FileIdempotencyStore.LOCK).toString()).redirectErrorStream(true).start();
        try (FileIdempotencyStore store = store(dir)) {
            String first = new BufferedReader(new InputStreamReader(other.getInputStream())).readLine();
            assertEquals("locked", first);
            CompletableFuture<ClaimResult> waiting = CompletableFuture.supplyAsync(() -> store.claim("r1", "b", lease(), "{}"));
            try {
                waiting.get(1500, TimeUnit.MILLISECONDS);
                throw new AssertionError("the store wrote the journal while another process held it");
            } catch (TimeoutException expected) {
                // waiting, as it should
            }
            other.destroyForcibly().waitFor();
            assertEquals(ClaimResult.Kind.NEW, waiting.get(10, TimeUnit.SECONDS).kind(), "the lock died with its process");
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void requestsUnderWayTogetherShareDiskForces() throws Exception {
        Path dir = dir();
        try (FileIdempotencyStore store = store(dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    int thread = t;
                    work.add(pool.submit(() -> {
                        for (int i = 0; i < 25; i++) {
                            String id = "g-" + thread + "-" + i;
                            assertEquals(ClaimResult.Kind.NEW, store.claim(id, "a", lease(), "{}").kind());
                            store.done(id, "a", "created");
                        }
                    }));
                }
                for (Future<?> f : work) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertTrue(store.forces() < 800, "800 records, " + store.forces() + " forces");
        }
        try (FileIdempotencyStore reopened = store(dir)) {
            assertEquals(RequestRecord.State.DONE, reopened.find("g-15-24").orElseThrow().state(), "every record on disk");
            assertTrue(reopened.inFlight().isEmpty());
        }
    }

    @Test
    void outcomesRecordedUnsyncedShareTheOneForceOfTheNextSync() throws Exception {
        Path dir = dir();
        try (FileIdempotencyStore store = store(dir)) {
            for (int i = 0; i < 50; i++) {
                store.claim("u-" + i, "a", lease(), "{}");
            }
            long forcesBefore = store.forces();
            for (int i = 0; i < 50; i++) {
                store.doneUnsynced("u-" + i, "a", "created", null);
            }
            assertEquals(forcesBefore, store.forces(), "no force until the intake syncs");
            assertEquals(ClaimResult.Kind.DONE, store.claim("u-7", "b", lease(), null).kind(),
                    "the outcome counts at once for other requests");
            store.sync();
            assertEquals(forcesBefore + 1, store.forces(), "one force for the 50 outcomes");
            store.sync();
            assertEquals(forcesBefore + 1, store.forces(), "nothing left to force");
        }
        try (FileIdempotencyStore reopened = store(dir)) {
            assertEquals(RequestRecord.State.DONE, reopened.find("u-49").orElseThrow().state());
            assertTrue(reopened.inFlight().isEmpty());
        }
    }

    @Test
    void outcomesRecordedUnsyncedAreOnDiskAfterAGracefulClose() throws Exception {
        Path dir = dir();
        try (FileIdempotencyStore store = store(dir)) {
            store.claim("c-1", "a", lease(), "{}");
            store.doneUnsynced("c-1", "a", "created", null);
        }
        try (FileIdempotencyStore reopened = store(dir)) {
            assertEquals(RequestRecord.State.DONE, reopened.find("c-1").orElseThrow().state());
        }
    }

    @Test
    void anInterruptedCallerDoesNotCloseTheJournal() throws Exception {
        try (FileIdempotencyStore store = store(dir())) {
            CompletableFuture<ClaimResult> interrupted = CompletableFuture.supplyAsync(() -> {
                Thread.currentThread().interrupt();
                try {
                    // the first claim opens the journal too
                    return store.claim("i-1", "a", lease(), "{}");
                } finally {
                    Thread.interrupted();
                }
            });
            assertEquals(ClaimResult.Kind.NEW, interrupted.get(10, TimeUnit.SECONDS).kind());
            assertTrue(store.healthy());
            assertEquals(ClaimResult.Kind.NEW, store.claim("i-2", "a", lease(), "{}").kind());
        }
    }

    @Test
    void aJournalThatCannotBeForcedIsNotWrittenAgainAndSaysSo() throws Exception {
        Path dir = dir();
        AtomicBoolean diskFails = new AtomicBoolean();
        try (FileIdempotencyStore store = new FileIdempotencyStore(dir, Duration.ofDays(7), clock) {
            @Override
            void force(FileChannel target) throws IOException {
                if (diskFails.get()) {
                    throw new IOException("Input/output error");
                }
                super.force(target);
            }
        }) {
            store.claim("w-1", "a", lease(), "{}");
            assertTrue(store.healthy());
            diskFails.set(true);
            UncheckedIOException failed = assertThrows(UncheckedIOException.class,
                    () -> store.claim("w-2", "a", lease(), "{}"));
            assertTrue(failed.getMessage().contains("could not be written"), failed.getMessage());
            assertFalse(store.healthy(), "reported, so that the instance is taken out of service");
            assertTrue(store.failed(), "and restarted: only a replay brings the journal back");
            assertFalse(new IdempotencyStoreLiveness(store).call().getStatus() == HealthCheckResponse.Status.UP,
                    "not live");
            diskFails.set(false);
            UncheckedIOException later = assertThrows(UncheckedIOException.class,
                    () -> store.claim("w-3", "a", lease(), "{}"));
            assertTrue(later.getMessage().contains("could not be written"), "nothing more is written: " + later.getMessage());
            assertTrue(store.claimAsync("w-4", "a", lease(), "{}").isCompletedExceptionally());
        }
        try (FileIdempotencyStore reopened = store(dir)) {
            assertEquals(RequestRecord.State.IN_FLIGHT, reopened.find("w-1").orElseThrow().state(),
                    "what was forced before is still there");
            assertTrue(reopened.healthy());
            assertEquals(ClaimResult.Kind.NEW, reopened.claim("w-3", "b", lease(), "{}").kind());
        }
    }

    @Test
    void aClaimWaitsForTheDiskWithoutHoldingItsThread() throws Exception {
        Path dir = dir();
        CountDownLatch diskSlow = new CountDownLatch(1);
        try (FileIdempotencyStore store = new FileIdempotencyStore(dir, Duration.ofDays(7), clock) {
            @Override
            void force(FileChannel target) throws IOException {
                try {
                    diskSlow.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
                super.force(target);
            }
        }) {
            CompletableFuture<ClaimResult> first = store.claimAsync("a-1", "a", lease(), "{}");
            CompletableFuture<ClaimResult> second = store.claimAsync("a-2", "a", lease(), "{}");
            assertFalse(first.isDone() || second.isDone(), "not durable while the disk has not confirmed");
            assertEquals(RequestRecord.State.IN_FLIGHT, store.find("a-1").orElseThrow().state(),
                    "other requests see the claim at once");
            diskSlow.countDown();
            assertEquals(ClaimResult.Kind.NEW, first.get(10, TimeUnit.SECONDS).kind());
            assertEquals(ClaimResult.Kind.NEW, second.get(10, TimeUnit.SECONDS).kind());
        }
    }

    @Test
    void aDuplicateIsAnsweredOnlyFromAnOutcomeOnDisk() throws Exception {
        Path dir = dir();
        CountDownLatch diskAnswers = new CountDownLatch(1);
        AtomicBoolean diskFull = new AtomicBoolean();
        try (FileIdempotencyStore store = new FileIdempotencyStore(dir, Duration.ofDays(7), clock) {
            @Override
            void force(FileChannel target) throws IOException {
                if (diskFull.get()) {
                    try {
                        diskAnswers.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new InterruptedIOException();
                    }
                    throw new IOException("No space left on device");
                }
                super.force(target);
            }
        }) {
            store.claim("full-1", "a", lease(), "{}");
            diskFull.set(true);
            CompletableFuture<Void> outcome = store.doneAsync("full-1", "a", "created", null);
            CompletableFuture<ClaimResult> again = store.claimAsync("full-1", "b", lease(), "{}");
            assertFalse(again.isDone(), "not answered while the outcome is not on disk");
            diskAnswers.countDown();
            ExecutionException lost = assertThrows(ExecutionException.class, () -> again.get(10, TimeUnit.SECONDS));
            assertTrue(lost.getCause().getMessage().contains("could not be written"), lost.getCause().getMessage());
            assertTrue(outcome.isCompletedExceptionally(), "the outcome's own writer hears of it too");
        }
    }

    @Test
    void aTornLastLineNeverSwallowsTheNextRecord() throws Exception {
        Path dir = dir();
        try (FileIdempotencyStore store = store(dir)) {
            store.claim("r1", "a", lease(), "{}");
        }
        // a crash in the middle of writing a line
        Files.write(dir.resolve(FileIdempotencyStore.JOURNAL), "{\"requestId\":\"r2\",\"sta".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
        try (FileIdempotencyStore store = store(dir)) {
            store.claim("r3", "b", lease(), "{}");
        }
        try (FileIdempotencyStore store = store(dir)) {
            assertTrue(store.find("r1").isPresent());
            assertTrue(store.find("r3").isPresent(), "the record after the torn line survives");
            assertFalse(store.find("r2").isPresent());
        }
    }

    /** Issue 25, item 5: a tail torn inside a multi-byte character made every claim fail while the store looked UP. */
    @Test
    void aTailTornInsideAMultiByteCharacterIsDroppedAndWorkGoesOn() throws Exception {
        Path dir = dir();
        try (FileIdempotencyStore store = store(dir)) {
            store.claim("r1", "a", lease(), "{}");
        }
        byte[] line = "{\"requestId\":\"r2-\uc2a4\ub0c5\uc0f7\"}\n".getBytes(StandardCharsets.UTF_8);
        int cut = "{\"requestId\":\"r2-".length() + 1; // after the first byte of a three-byte character
        Files.write(dir.resolve(FileIdempotencyStore.JOURNAL), java.util.Arrays.copyOf(line, cut),
                StandardOpenOption.APPEND);
        try (FileIdempotencyStore store = store(dir)) {
            assertTrue(store.find("r1").isPresent(), "the records before the torn tail are read");
            assertEquals(ClaimResult.Kind.NEW, store.claim("r3", "b", lease(), "{}").kind(), "claims work");
            assertTrue(new IdempotencyStoreLiveness(store).call().getStatus() == HealthCheckResponse.Status.UP);
        }
        try (FileIdempotencyStore store = store(dir)) {
            assertTrue(store.find("r3").isPresent(), "and the journal goes on after it");
        }
    }

    @Test
    void aJournalThatCannotBeReadMakesLivenessDown() throws Exception {
        Path dir = dir();
        Files.createDirectories(dir.resolve(FileIdempotencyStore.JOURNAL).resolve("not-a-file"));
        try (FileIdempotencyStore store = store(dir)) {
            assertThrows(RuntimeException.class, () -> store.claim("r1", "a", lease(), "{}"));
            assertTrue(store.failed(), "a journal that cannot be read is a failed store");
            assertTrue(new IdempotencyStoreLiveness(store).call().getStatus() == HealthCheckResponse.Status.DOWN);
        }
    }

    @Test
    void recordsOlderThanTheRetentionAreForgotten() throws Exception {
        Path dir = dir();
        try (FileIdempotencyStore store = store(dir)) {
            store.claim("old", "a", lease(), "{}");
            store.done("old", "a", "created");
        }
        clock.advance(Duration.ofDays(8));
        try (FileIdempotencyStore store = store(dir)) {
            assertTrue(store.find("old").isEmpty());
            assertEquals(ClaimResult.Kind.NEW, store.claim("old", "b", lease(), "{}").kind());
        }
    }

    @Test
    void aTrackedSnapshotSurvivesAReopenUntilItIsUntracked() throws Exception {
        Path dir = dir();
        try (FileIdempotencyStore first = store(dir)) {
            first.claim("r1", "a", lease(), "{}");
            first.done("r1", "a", "created", "{\"snapshotNo\":\"5\"}");
            first.claim("r2", "a", lease(), "{}");
            first.done("r2", "a", "failed");
            assertEquals(List.of("r1"), first.tracked().stream().map(RequestRecord::requestId).toList());
            assertTrue(first.tryToLead(), "the journal's holder leads");
        }
        try (FileIdempotencyStore second = store(dir)) {
            assertEquals("{\"snapshotNo\":\"5\"}", second.tracked().iterator().next().tracking(), "kept across a restart");
            second.untrack("r1");
            assertEquals(ClaimResult.Kind.DONE, second.claim("r1", "b", lease(), null).kind(), "still done");
        }
        try (FileIdempotencyStore third = store(dir)) {
            assertEquals(List.of(), List.copyOf(third.tracked()));
            assertEquals(RequestRecord.State.DONE, third.find("r1").orElseThrow().state());
        }
    }

    @Test
    void onlyTheJournalsHolderLeads() throws Exception {
        Path dir = dir();
        try (FileIdempotencyStore first = store(dir); FileIdempotencyStore second = store(dir)) {
            assertTrue(first.tryToLead());
            assertFalse(second.tryToLead(), "the lock is taken: the other one waits, without blocking");
        }
    }

    @Test
    void aTrackedOutcomeGivesWayOnlyToTheSameOutcomeUntracked() {
        Instant at = clock.instant();
        RequestRecord tracked = new RequestRecord("r", RequestRecord.State.DONE, "a", null, "{}", "created", at, "{}");
        RequestRecord untracked = tracked.untracked(at.plusSeconds(1), null);
        RequestRecord lateClaim = new RequestRecord("r", RequestRecord.State.IN_FLIGHT, "b", at.plusSeconds(60), "{}",
                null, at.plusSeconds(2));
        assertTrue(tracked.supersededBy(untracked, Duration.ofDays(7)));
        assertFalse(untracked.supersededBy(tracked, Duration.ofDays(7)), "tracking never starts again");
        assertFalse(tracked.supersededBy(lateClaim, Duration.ofDays(7)), "done is final");
        assertFalse(untracked.supersededBy(lateClaim, Duration.ofDays(7)));
    }
}
