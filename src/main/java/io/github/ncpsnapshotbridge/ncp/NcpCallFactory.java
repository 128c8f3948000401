package io.github.ncpsnapshotbridge.ncp;

import java.net.URI;
import java.time.Clock;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds and signs NCP Server API GETs, classic ({@code NCP_API_URL}) or VPC ({@code NCP_VPC_API_URL}), both signed
 * the same way. Timestamps come from the clock at the moment of each call, so a retried call is signed afresh.
 */
public class NcpCallFactory {

    public static final String CREATE_SNAPSHOT = "createBlockStorageSnapshotInstance";
    public static final String LIST_SNAPSHOTS = "getBlockStorageSnapshotInstanceList";

    private record Base(String origin, String path) {
    }

    private final Map<Platform, Base> bases = new EnumMap<>(Platform.class);
    private final Clock clock;

    /** Classic calls to {@code apiUrl}; VPC calls to {@code /vserver/v2} on the same host. */
    public NcpCallFactory(String apiUrl, Clock clock) {
        this(apiUrl, sameHostVpc(apiUrl), clock);
    }

    public NcpCallFactory(String apiUrl, String vpcApiUrl, Clock clock) {
        bases.put(Platform.CLASSIC, base("NCP_API_URL", apiUrl));
        bases.put(Platform.VPC, base("NCP_VPC_API_URL", vpcApiUrl));
        this.clock = clock;
    }

    private static Base base(String setting, String url) {
        URI uri = URI.create(url.trim());
        if (uri.getScheme() == null || uri.getRawAuthority() == null) {
            throw new IllegalArgumentException(setting + " must be an absolute http(s) URL, got '" + url + "'");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return new Base(uri.getScheme() + "://" + uri.getRawAuthority(),
                path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
    }

    private static String sameHostVpc(String apiUrl) {
        URI uri = URI.create(apiUrl.trim());
        return uri.getScheme() + "://" + uri.getRawAuthority() + "/vserver/v2";
    }

    /** The ordered query of a classic createBlockStorageSnapshotInstance call; absent optional ones are left out. */
    public static Map<String, String> createSnapshotParameters(String volume, String name, String description) {
        return createSnapshotParameters(Platform.CLASSIC, volume, name, description, null, null);
    }

    /**
     * The ordered query of a createBlockStorageSnapshotInstance call. VPC names the volume
     * {@code originalBlockStorageInstanceNo} and takes a region and a snapshot type; absent optional ones are left out.
     */
    public static Map<String, String> createSnapshotParameters(Platform platform, String volume, String name,
            String description, String regionCode, String snapshotTypeCode) {
        Map<String, String> params = new LinkedHashMap<>();
        if (platform == Platform.VPC) {
            putIfPresent(params, "regionCode", regionCode);
            params.put("originalBlockStorageInstanceNo", volume);
        } else {
            params.put("blockStorageInstanceNo", volume);
        }
        putIfPresent(params, "blockStorageSnapshotName", name);
        putIfPresent(params, "blockStorageSnapshotDescription", description);
        if (platform == Platform.VPC) {
            putIfPresent(params, "snapshotTypeCode", snapshotTypeCode);
        }
        return params;
    }

    /** The query of a classic getBlockStorageSnapshotInstanceList call for one page of one volume's snapshots. */
    public static Map<String, String> listSnapshotParameters(String volume, int pageNo, int pageSize) {
        return listSnapshotParameters(Platform.CLASSIC, null, volume, pageNo, pageSize);
    }

    /** The query of a getBlockStorageSnapshotInstanceList call for one page of the snapshots of one volume. */
    public static Map<String, String> listSnapshotParameters(Platform platform, String regionCode, String volume,
            int pageNo, int pageSize) {
        Map<String, String> params = new LinkedHashMap<>();
        if (platform == Platform.VPC) {
            putIfPresent(params, "regionCode", regionCode);
        }
        params.put("originalBlockStorageInstanceNoList.1", volume);
        params.put("pageNo", Integer.toString(pageNo));
        params.put("pageSize", Integer.toString(pageSize));
        return params;
    }

    /** The query of a getBlockStorageSnapshotInstanceList call asking for the given snapshots, by number. */
    public static Map<String, String> statusParameters(Platform platform, String regionCode, List<String> snapshots) {
        Map<String, String> params = new LinkedHashMap<>();
        if (platform == Platform.VPC) {
            putIfPresent(params, "regionCode", regionCode);
        }
        for (int i = 0; i < snapshots.size(); i++) {
            params.put("blockStorageSnapshotInstanceNoList." + (i + 1), snapshots.get(i));
        }
        params.put("pageNo", "1");
        params.put("pageSize", Integer.toString(Math.max(1, snapshots.size())));
        return params;
    }

    private static void putIfPresent(Map<String, String> params, String name, String value) {
        if (value != null) {
            params.put(name, value);
        }
    }

    /** A classic call. */
    public SignedCall prepare(String action, Map<String, String> parameters, NcpCredentials credentials) {
        return prepare(Platform.CLASSIC, action, parameters, credentials);
    }

    public SignedCall prepare(Platform platform, String action, Map<String, String> parameters,
            NcpCredentials credentials) {
        Base base = bases.get(platform);
        StringBuilder target = new StringBuilder(256).append(base.path()).append('/').append(action);
        char separator = '?';
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            target.append(separator).append(QueryEncoding.encode(e.getKey())).append('=')
                    .append(QueryEncoding.encode(e.getValue()));
            separator = '&';
        }
        String rawPathAndQuery = target.toString();
        long timestamp = clock.millis();
        String signature = NcpSigner.sign("GET", rawPathAndQuery, timestamp, credentials);
        return new SignedCall(platform, action, base.origin() + rawPathAndQuery, rawPathAndQuery, timestamp, credentials.accessKey(), signature);
    }
}
