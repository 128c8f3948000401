package io.github.ncpsnapshotbridge.ncp;

/** What one createBlockStorageSnapshotInstance call came to. */
public sealed interface NcpOutcome {

    /** returnCode 0 and a snapshot in the answer. */
    record Created(String ncpRequestId, String returnCode, String returnMessage, NcpSnapshot snapshot)
            implements NcpOutcome {
    }

    record Failed(NcpError error) implements NcpOutcome {
    }
}
