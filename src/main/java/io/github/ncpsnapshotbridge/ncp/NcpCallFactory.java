package io.github.ncpsnapshotbridge.ncp;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds and signs NCP Server API GETs against one base URL. Timestamps come from the clock at the moment of each
 * call, so a retried call is signed afresh.
 */
public class NcpCallFactory {

    public static final String CREATE_SNAPSHOT = "createBlockStorageSnapshotInstance";
    public static final String LIST_SNAPSHOTS = "getBlockStorageSnapshotInstanceList";

    private final String origin;
    private final String basePath;
    private final Clock clock;

    public NcpCallFactory(String apiUrl, Clock clock) {
        URI uri = URI.create(apiUrl.trim());
        if (uri.getScheme() == null || uri.getRawAuthority() == null) {
            throw new IllegalArgumentException("NCP_API_URL must be an absolute http(s) URL, got '" + apiUrl + "'");
        }
        this.origin = uri.getScheme() + "://" + uri.getRawAuthority();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.clock = clock;
    }

    /** The ordered query of a createBlockStorageSnapshotInstance call; absent optional parameters are left out. */
    public static Map<String, String> createSnapshotParameters(String volume, String name, String description) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("blockStorageInstanceNo", volume);
        if (name != null) {
            params.put("blockStorageSnapshotName", name);
        }
        if (description != null) {
            params.put("blockStorageSnapshotDescription", description);
        }
        return params;
    }

    /** The query of a getBlockStorageSnapshotInstanceList call for one page of the snapshots of one volume. */
    public static Map<String, String> listSnapshotParameters(String volume, int pageNo, int pageSize) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("originalBlockStorageInstanceNoList.1", volume);
        params.put("pageNo", Integer.toString(pageNo));
        params.put("pageSize", Integer.toString(pageSize));
        return params;
    }

    public SignedCall prepare(String action, Map<String, String> parameters, NcpCredentials credentials) {
        String query = parameters.entrySet().stream()
                .map(e -> QueryEncoding.encode(e.getKey()) + "=" + QueryEncoding.encode(e.getValue()))
                .collect(Collectors.joining("&"));
        String rawPathAndQuery = basePath + "/" + action + (query.isEmpty() ? "" : "?" + query);
        long timestamp = clock.millis();
        String signature = NcpSigner.sign("GET", rawPathAndQuery, timestamp, credentials);
        return new SignedCall(origin + rawPathAndQuery, rawPathAndQuery, timestamp, credentials.accessKey(), signature);
    }
}
