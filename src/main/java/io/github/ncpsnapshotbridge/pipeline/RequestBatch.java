package io.github.ncpsnapshotbridge.pipeline;

import java.util.List;

/**
 * What one file or message held: its requests, in order. {@code unreadable} is set when the payload as a whole could
 * not be read (not UTF-8, not JSON, empty); it then holds exactly one item, which validation rejects.
 */
public record RequestBatch(List<IntakeItem> items, boolean unreadable) {

    public List<FieldError> unreadableReason() {
        return unreadable ? items.get(0).parseErrors() : List.of();
    }
}
