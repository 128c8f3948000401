package io.github.ncpsnapshotbridge.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileIdempotencyStoreTest {

    @TempDir
    Path dir;

    private final Clock now = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void aClaimedIdIsKnownAndSurvivesARestart() throws Exception {
        try (FileIdempotencyStore store = new FileIdempotencyStore(dir, Duration.ofDays(7), now)) {
            assertTrue(store.claim("r-1", "937508", "nightly").isEmpty(), "the first claim wins");
            assertEquals(RequestRecord.State.IN_FLIGHT, store.claim("r-1", "937508", "nightly").orElseThrow().state());
            assertTrue(store.claim("r-2", "937509", "snap-x").isEmpty());
            store.done("r-2", "created");
        }
        try (FileIdempotencyStore again = new FileIdempotencyStore(dir, Duration.ofDays(7), now)) {
            RequestRecord inFlight = again.find("r-1").orElseThrow();
            assertEquals(RequestRecord.State.IN_FLIGHT, inFlight.state());
            assertEquals("nightly", inFlight.snapshotName());
            assertEquals(RequestRecord.State.DONE, again.find("r-2").orElseThrow().state());
            assertEquals("created", again.find("r-2").orElseThrow().outcome());
            assertEquals(1, again.inFlight().size());
        }
    }

    @Test
    void recordsOlderThanTheRetentionAreForgotten() throws Exception {
        try (FileIdempotencyStore store = new FileIdempotencyStore(dir, Duration.ofDays(7), now)) {
            store.claim("old", "1", "n-1");
            store.done("old", "created");
        }
        Clock eightDaysLater = Clock.offset(now, Duration.ofDays(8));
        try (FileIdempotencyStore later = new FileIdempotencyStore(dir, Duration.ofDays(7), eightDaysLater)) {
            assertTrue(later.find("old").isEmpty());
            assertTrue(later.claim("old", "1", "n-1").isEmpty(), "may be sent again");
        }
    }

    @Test
    void aLineTornByACrashIsSkippedAndTheRestKept() throws Exception {
        try (FileIdempotencyStore store = new FileIdempotencyStore(dir, Duration.ofDays(7), now)) {
            store.claim("kept", "1", "n-1");
        }
        Files.writeString(dir.resolve(FileIdempotencyStore.JOURNAL), "{\"requestId\":\"torn\",\"sta",
                StandardOpenOption.APPEND);
        try (FileIdempotencyStore again = new FileIdempotencyStore(dir, Duration.ofDays(7), now)) {
            assertTrue(again.find("kept").isPresent());
            assertTrue(again.find("torn").isEmpty());
            again.done("kept", "created");
        }
        try (FileIdempotencyStore third = new FileIdempotencyStore(dir, Duration.ofDays(7), now)) {
            assertEquals(RequestRecord.State.DONE, third.find("kept").orElseThrow().state());
        }
    }

    @Test
    void theJournalIsCompactedAsItGrows() throws Exception {
        try (FileIdempotencyStore store = new FileIdempotencyStore(dir, Duration.ofDays(7), now)) {
            for (int i = 0; i < 3000; i++) {
                store.claim("same", "1", "n");
                store.done("same", "created");
            }
        }
        long lines = Files.readAllLines(dir.resolve(FileIdempotencyStore.JOURNAL)).size();
        assertTrue(lines < 1100, "the journal holds about the live records, not every write: " + lines);
    }
}
