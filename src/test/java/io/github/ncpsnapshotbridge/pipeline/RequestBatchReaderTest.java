package io.github.ncpsnapshotbridge.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.pipeline.RequestBatchReader.Format;

class RequestBatchReaderTest {

    private final RequestBatchReader reader = new RequestBatchReader();
    private final RequestValidator validator = new RequestValidator();

    private RequestBatch read(String text, Format format) {
        return reader.read(text.getBytes(StandardCharsets.UTF_8), format, "file:abc");
    }

    @Test
    void anArrayMixingValidAndInvalidRequestsGivesOneOutcomeEach() {
        RequestBatch batch = read("[{\"blockStorageInstanceNo\":\"1\"},{\"blockStorageInstanceNo\":\"x\"},"
                + "{\"blockStorageInstanceNo\":3}]", Format.JSON);
        assertFalse(batch.unreadable());
        List<Object> outcomes = batch.items().stream().map(validator::validate).toList();
        assertEquals(3, outcomes.size());
        assertInstanceOf(SnapshotRequest.class, outcomes.get(0));
        assertInstanceOf(Rejection.class, outcomes.get(1));
        assertInstanceOf(SnapshotRequest.class, outcomes.get(2));
        assertEquals("file:abc:1", ((SnapshotRequest) outcomes.get(0)).requestId());
        assertEquals("file:abc:3", ((SnapshotRequest) outcomes.get(2)).requestId());
    }

    @Test
    void jsonLinesSkipBlankLinesAcceptCrlfAndKeepLineNumbers() {
        RequestBatch batch = read("{\"blockStorageInstanceNo\":\"1\"}\r\n\r\n  \n{\"blockStorageInstanceNo\":\"2\"}\r\n{oops\n",
                Format.JSON_LINES);
        assertFalse(batch.unreadable());
        assertEquals(3, batch.items().size());
        assertEquals("file:abc:1", batch.items().get(0).derivedRequestId());
        assertEquals("file:abc:4", batch.items().get(1).derivedRequestId());
        assertNull(batch.items().get(2).json());
        assertTrue(batch.items().get(2).parseErrors().get(0).message().startsWith("line 5 is not valid JSON"));
    }

    @Test
    void aLoneObjectUsesTheTransportIdentityAsIs() {
        RequestBatch batch = read("{\"blockStorageInstanceNo\":\"1\"}", Format.JSON);
        assertEquals("file:abc", batch.items().get(0).derivedRequestId());
    }

    @Test
    void unreadablePayloadsGiveExactlyOneItemWithTheCause() {
        assertUnreadable(read("", Format.JSON), "empty");
        assertUnreadable(read("  \n", Format.JSON_LINES), "empty");
        assertUnreadable(read("{\"blockStorageInstanceNo\":", Format.JSON), "not valid JSON");
        assertUnreadable(read("[]", Format.JSON), "empty array");
        assertUnreadable(read("42", Format.JSON), "object or an array");
        assertUnreadable(read("{\"a\":1} trailing", Format.JSON), "not valid JSON");
        assertUnreadable(read("{\"a\":1,\"a\":2}", Format.JSON), "Duplicate field");
        assertUnreadable(read("// comment\n{}", Format.JSON), "not valid JSON");
        assertUnreadable(reader.read(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, Format.JSON, "x"), "not UTF-8");
    }

    @Test
    void aUtf8ByteOrderMarkIsTolerated() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] json = "{\"blockStorageInstanceNo\":\"1\"}".getBytes(StandardCharsets.UTF_8);
        byte[] both = new byte[bom.length + json.length];
        System.arraycopy(bom, 0, both, 0, bom.length);
        System.arraycopy(json, 0, both, bom.length, json.length);
        RequestBatch batch = reader.read(both, Format.JSON, "x");
        assertInstanceOf(SnapshotRequest.class, validator.validate(batch.items().get(0)));
    }

    @Test
    void eventsQuoteOnlyAShortPrintableExcerpt() {
        String big = "{\"blockStorageInstanceNo\":\"1\",\"blockStorageSnapshotDescription\":\"" + "한".repeat(40_000) + "\"}";
        Rejection rejection = assertInstanceOf(Rejection.class, validator.validate(read(big, Format.JSON).items().get(0)));
        assertEquals(RequestBatchReader.MAX_EXCERPT + 1, rejection.raw().codePointCount(0, rejection.raw().length()),
                "the first 1,024 characters and an ellipsis");
        assertTrue(rejection.raw().endsWith("…"));
        assertEquals("ab\uFFFDc\nd", RequestBatchReader.cutRaw("ab\u0000c\nd"), "control characters are not quoted");
        assertEquals("{\"a\":1}", RequestBatchReader.cutRaw("{\"a\":1}"), "a short text is quoted as it is");
    }

    @Test
    void fileNamesPickTheFormat() {
        assertEquals(Format.JSON_LINES, Format.ofFileName("a.JSONL"));
        assertEquals(Format.JSON_LINES, Format.ofFileName("a.ndjson"));
        assertEquals(Format.JSON, Format.ofFileName("a.json"));
    }

    private static void assertUnreadable(RequestBatch batch, String cause) {
        assertTrue(batch.unreadable());
        assertEquals(1, batch.items().size());
        String message = batch.unreadableReason().get(0).message();
        assertTrue(message.contains(cause), message);
        assertEquals("$", batch.unreadableReason().get(0).field());
    }
}
