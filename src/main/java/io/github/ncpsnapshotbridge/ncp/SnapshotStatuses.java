package io.github.ncpsnapshotbridge.ncp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks NCP what state many snapshots are in, with as few calls as NCP allows: one getBlockStorageSnapshotInstanceList per
 * {@value #BATCH} snapshots ({@code blockStorageSnapshotInstanceNoList.N}), never one call per snapshot. Each call
 * goes through the rate ceiling like every other.
 */
public class SnapshotStatuses {

    /** Snapshot numbers per call. */
    public static final int BATCH = 100;

    private final SnapshotLists lists;

    public SnapshotStatuses(NcpHttp http, NcpCallFactory calls, NcpResponseParser parser, NcpGate gate) {
        this.lists = new SnapshotLists(http, calls, parser, gate);
    }

    /**
     * The snapshots NCP lists among {@code numbers} (all of one account, platform and region), by number; a number
     * NCP does not list is absent from the map.
     *
     * @throws NcpLookupException when NCP could not be asked or its answer not read: then nothing is known
     */
    public Map<String, NcpSnapshot> of(Platform platform, String regionCode, List<String> numbers,
            NcpCredentials account) throws InterruptedException {
        Map<String, NcpSnapshot> found = new LinkedHashMap<>();
        for (int from = 0; from < numbers.size(); from += BATCH) {
            List<String> batch = numbers.subList(from, Math.min(numbers.size(), from + BATCH));
            SnapshotPage page = lists.list(platform, NcpCallFactory.statusParameters(platform, regionCode, batch),
                    account);
            for (NcpSnapshot snapshot : page.snapshots()) {
                if (snapshot.instanceNo() != null && batch.contains(snapshot.instanceNo())) {
                    found.put(snapshot.instanceNo(), snapshot);
                }
            }
        }
        return found;
    }
}
