package io.github.ncpsnapshotbridge.ncp;

/** An XML answer that could not be read into its model, and why (not well-formed, a DOCTYPE, an unknown root). */
public record UnreadableAnswer(String why) {

    /** The answer {@code failure} kept from being read, said by the innermost exception that says something. */
    public static UnreadableAnswer of(Throwable failure) {
        return new UnreadableAnswer(describe(failure));
    }

    /**
     * {@code e}'s message on one line; taken from its causes while it has none, or is only JAXB's wrapper around the
     * parser's own words.
     */
    static String describe(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause
                && (cause.getMessage() == null || cause.getClass().getName().startsWith("jakarta.xml.bind"))) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }
}
