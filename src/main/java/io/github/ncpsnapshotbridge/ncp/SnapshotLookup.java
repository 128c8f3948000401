package io.github.ncpsnapshotbridge.ncp;

import java.math.BigInteger;
import java.util.Optional;

/**
 * Finds the snapshot NCP made for one request: the volume's snapshots, page by page until {@code totalRows}, the one
 * whose description carries the request's {@link SnapshotMarker}. Volume numbers are compared as numbers, so
 * {@code "0937508"} matches NCP's {@code 937508}. An older snapshot with the same name never matches.
 */
public class SnapshotLookup {

    static final int PAGE_SIZE = 100;
    /** A guard against a list that never ends (an answer whose totalRows keeps growing). */
    private static final int MAX_PAGES = 1000;

    private final SnapshotLists lists;

    public SnapshotLookup(NcpHttp http, NcpCallFactory calls, NcpResponseParser parser, NcpGate gate) {
        this.lists = new SnapshotLists(http, calls, parser, gate);
    }

    /**
     * @throws NcpLookupException when NCP could not be asked or its answer not read: then nothing is known
     */
    public Optional<NcpSnapshot> find(SnapshotOrder order, NcpCredentials account) throws InterruptedException {
        String volume = order.volume();
        int seen = 0;
        for (int page = 1; page <= MAX_PAGES; page++) {
            SnapshotPage answer = page(order, page, account);
            for (NcpSnapshot snapshot : answer.snapshots()) {
                if (sameVolume(volume, snapshot.originalVolume())
                        && SnapshotMarker.marks(snapshot.description(), order.requestId())) {
                    return Optional.of(snapshot);
                }
            }
            seen += answer.snapshots().size();
            if (answer.snapshots().isEmpty() || seen >= answer.totalRows()) {
                return Optional.empty();
            }
        }
        throw new NcpLookupException("the snapshot list of volume " + volume + " has more than " + MAX_PAGES + " pages");
    }

    private SnapshotPage page(SnapshotOrder order, int page, NcpCredentials account) throws InterruptedException {
        return lists.list(order.platform(), NcpCallFactory.listSnapshotParameters(order.platform(), order.regionCode(),
                order.volume(), page, PAGE_SIZE), account);
    }

    /** Whether two volume numbers are the same number ({@code 0937508} = {@code 937508}). */
    static boolean sameVolume(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        try {
            return new BigInteger(a.trim()).equals(new BigInteger(b.trim()));
        } catch (NumberFormatException e) {
            return a.trim().equals(b.trim());
        }
    }
}
