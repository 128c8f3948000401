package io.github.ncpsnapshotbridge.pipeline;

import io.github.ncpsnapshotbridge.support.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Splits a file's or message's bytes into requests. {@link Format#JSON} holds one object or an array of them;
 * {@link Format#JSON_LINES} one request a line (blank lines skipped, CRLF accepted). Each request gets a derived id,
 * {@code <transport identity>} for a lone object or {@code <transport identity>:<position>} inside a batch, so the
 * same file or message read twice yields the same ids.
 */
public class RequestBatchReader {

    /** Requests' text is quoted in events up to this many characters. */
    public static final int MAX_EXCERPT = 1024;

    public enum Format {
        JSON,
        JSON_LINES;

        public static Format ofFileName(String name) {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            return lower.endsWith(".jsonl") || lower.endsWith(".ndjson") ? JSON_LINES : JSON;
        }
    }

    public RequestBatch read(byte[] payload, Format format, String transportIdentity) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            return unreadable(new String(payload, StandardCharsets.UTF_8), "not UTF-8 text", transportIdentity);
        }
        if (text.startsWith("\uFEFF")) {
            // a byte-order mark is legal in front of UTF-8 text; editors on Windows add it
            text = text.substring(1);
        }
        if (text.isBlank()) {
            return unreadable(text, "empty: holds no request", transportIdentity);
        }
        return format == Format.JSON_LINES ? readLines(text, transportIdentity) : readDocument(text, transportIdentity);
    }

    private RequestBatch readDocument(String text, String transportIdentity) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return unreadable(text, "not valid JSON: " + Json.describe(e), transportIdentity);
        }
        if (root.isObject()) {
            return new RequestBatch(List.of(IntakeItem.parsed(text, root, transportIdentity)), false);
        }
        if (!root.isArray()) {
            return unreadable(text, "must be a JSON object or an array of objects", transportIdentity);
        }
        if (root.isEmpty()) {
            return unreadable(text, "an empty array holds no request", transportIdentity);
        }
        List<IntakeItem> items = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode element = root.get(i);
            items.add(IntakeItem.parsed(element.toString(), element, transportIdentity + ":" + (i + 1)));
        }
        return new RequestBatch(items, false);
    }

    private RequestBatch readLines(String text, String transportIdentity) {
        List<IntakeItem> items = new ArrayList<>();
        String[] lines = text.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            String derivedId = transportIdentity + ":" + (i + 1);
            try {
                items.add(IntakeItem.parsed(line, Json.MAPPER.readTree(line), derivedId));
            } catch (JsonProcessingException e) {
                items.add(IntakeItem.unparsable(line,
                        List.of(FieldError.ofDocument("line " + (i + 1) + " is not valid JSON: " + Json.describe(e))),
                        derivedId));
            }
        }
        return new RequestBatch(items, false);
    }

    private static RequestBatch unreadable(String text, String reason, String transportIdentity) {
        return RequestBatch.unreadable(text, reason, transportIdentity);
    }

    /**
     * What of a request's text an event may quote: at most {@link #MAX_EXCERPT} characters, control characters other
     * than line breaks and tabs shown as U+FFFD, so that whatever was read (a key, binary data) never comes out whole.
     */
    public static String cutRaw(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder excerpt = new StringBuilder(Math.min(text.length(), MAX_EXCERPT + 1));
        int count = 0;
        for (int i = 0; i < text.length() && count < MAX_EXCERPT; count++) {
            int cp = text.codePointAt(i);
            boolean printable = !Character.isISOControl(cp) || cp == '\n' || cp == '\r' || cp == '\t';
            excerpt.appendCodePoint(printable ? cp : 0xFFFD);
            i += Character.charCount(cp);
        }
        if (excerpt.codePointCount(0, excerpt.length()) < text.codePointCount(0, text.length())) {
            excerpt.append('…');
        }
        return excerpt.toString();
    }
}
