package io.github.ncpsnapshotbridge.intake;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.pipeline.RequestBatchReader.Format;

/** When a drop file looks cut off by a writer that has not finished. */
class InboxFilesTest {

    private static boolean midway(String content, Format format) {
        return InboxFiles.endsMidway(content.getBytes(StandardCharsets.UTF_8), format);
    }

    @Test
    void aDocumentNotYetClosedEndsMidway() {
        assertTrue(midway("", Format.JSON));
        assertTrue(midway("[{\"a\":1},\n", Format.JSON));
        assertTrue(midway("{\"a\":[1,2]", Format.JSON));
        assertTrue(midway("{\"a\":\"unfinished", Format.JSON));
    }

    @Test
    void aClosedOrOtherwiseBrokenDocumentDoesNot() {
        assertFalse(midway("[{\"a\":1}]\n", Format.JSON));
        assertFalse(midway("{\"a\":1}", Format.JSON));
        // broken in another way than being cut off: refused at once, with the reader's reason
        assertFalse(midway("{\"a\":}", Format.JSON));
        assertFalse(midway("this is not json", Format.JSON));
    }

    @Test
    void jsonLinesEndMidwayUntilTheirLastLineBreak() {
        assertTrue(midway("{\"a\":1}\n{\"a\"", Format.JSON_LINES));
        assertTrue(midway("{\"a\":1}", Format.JSON_LINES));
        assertFalse(midway("{\"a\":1}\n{\"a\":2}\n", Format.JSON_LINES));
        assertFalse(midway("{\"a\":1}\r\n", Format.JSON_LINES));
    }
}
