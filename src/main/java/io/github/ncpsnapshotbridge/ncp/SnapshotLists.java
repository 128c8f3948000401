package io.github.ncpsnapshotbridge.ncp;

import java.util.Map;

/**
 * One getBlockStorageSnapshotInstanceList call, for look-ups and status polls alike: signed, sent inside the rate
 * ceiling, read, and counted towards NCP's health (an answer that says no still shows NCP is up).
 */
class SnapshotLists {

    private final NcpHttp http;
    private final NcpCallFactory calls;
    private final NcpResponseParser parser;
    private final NcpGate gate;

    SnapshotLists(NcpHttp http, NcpCallFactory calls, NcpResponseParser parser, NcpGate gate) {
        this.http = http;
        this.calls = calls;
        this.parser = parser;
        this.gate = gate;
    }

    /** @throws NcpLookupException when NCP could not be asked or its answer not read: then nothing is known */
    SnapshotPage list(Platform platform, Map<String, String> parameters, NcpCredentials account)
            throws InterruptedException {
        HttpReply reply;
        try {
            reply = http.send(() -> calls.prepare(platform, NcpCallFactory.LIST_SNAPSHOTS, parameters, account));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            gate.failedRetryably();
            throw new NcpLookupException("no answer: " + CreateAttempts.errorOf(e).returnMessage());
        }
        try {
            SnapshotPage answer = parser.parseSnapshotList(platform, reply);
            gate.succeeded();
            return answer;
        } catch (NcpLookupException e) {
            if (e.retryable()) {
                gate.failedRetryably();
            } else {
                // NCP answered, and said no: it is up
                gate.succeeded();
            }
            throw e;
        }
    }
}
