package io.github.ncpsnapshotbridge.pipeline;

/** One broken rule: the field it concerns ({@code $} for the document as a whole) and what is wrong. */
public record FieldError(String field, String message) {

    public static final String DOCUMENT = "$";

    public static FieldError ofDocument(String message) {
        return new FieldError(DOCUMENT, message);
    }
}
