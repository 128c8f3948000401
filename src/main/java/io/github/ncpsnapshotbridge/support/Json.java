package io.github.ncpsnapshotbridge.support;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one strict JSON reader/writer of the bridge: duplicate keys, trailing tokens and comments are errors. */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    private Json() {
    }

    /** A parser error as a user reads it: what and where, without Jackson's source excerpt. */
    public static String describe(JsonProcessingException e) {
        String what = e.getOriginalMessage();
        if (what != null) {
            // Jackson appends hints on new lines; the first line says what went wrong
            int newline = what.indexOf('\n');
            what = newline > 0 ? what.substring(0, newline) : what;
        }
        if (e.getLocation() != null && (e instanceof JsonParseException || e.getLocation().getLineNr() > 0)) {
            return what + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        return what;
    }

}
