package io.github.ncpsnapshotbridge.ncp;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * What is checked of an answer's bytes before it is read as XML. NCP never sends a DOCTYPE. With DTDs off a parser
 * would merely skip one and leave entity references unresolved, so an answer that carries either is refused outright
 * rather than half-read, and nothing it names is ever fetched.
 */
public final class XmlAnswers {

    private static final Set<String> PREDEFINED = Set.of("lt", "gt", "amp", "quot", "apos");

    private XmlAnswers() {
    }

    /** Whether the body is XML: its first character, after a byte-order mark and white space, is {@code <}. */
    public static boolean isXml(byte[] body) {
        return firstSignificantChar(body) == '<';
    }

    /** Why the body may not be read as XML (a DOCTYPE or an entity reference), or null when it may. */
    public static String refusal(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.contains("<!DOCTYPE") || text.contains("<!ENTITY")) {
            return "DOCTYPE declarations and entity references are not accepted";
        }
        for (int amp = text.indexOf('&'); amp >= 0; amp = text.indexOf('&', amp + 1)) {
            int end = text.indexOf(';', amp);
            String name = end < 0 ? "" : text.substring(amp + 1, end);
            if (!name.startsWith("#") && !PREDEFINED.contains(name)) {
                return "DOCTYPE declarations and entity references are not accepted";
            }
        }
        return null;
    }

    /** The first character after a UTF-8 byte-order mark and white space; 0 for an empty body. */
    public static char firstSignificantChar(byte[] bytes) {
        int i = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            i = 3;
        }
        for (; i < bytes.length; i++) {
            char c = (char) (bytes[i] & 0xff);
            if (!Character.isWhitespace(c)) {
                return c;
            }
        }
        return 0;
    }
}
