package io.github.ncpsnapshotbridge.pipeline;

import java.util.List;

/**
 * What one file or message held: its requests, in order. {@code unreadable} is set when the payload as a whole could
 * not be read (not UTF-8, not JSON, empty); it then holds exactly one item, which validation rejects.
 */
public record RequestBatch(List<IntakeItem> items, boolean unreadable) {

    /** A payload that could not be read at all: one item, which validation turns into a {@code rejected} event. */
    public static RequestBatch unreadable(String text, String reason, String transportIdentity) {
        return new RequestBatch(List.of(IntakeItem.unparsable(RequestBatchReader.cutRaw(text),
                List.of(FieldError.ofDocument(reason)), transportIdentity)), true);
    }

    public List<FieldError> unreadableReason() {
        return unreadable ? items.get(0).parseErrors() : List.of();
    }
}
