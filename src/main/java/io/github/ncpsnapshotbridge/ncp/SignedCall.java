package io.github.ncpsnapshotbridge.ncp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One NCP GET, ready to send: the full URL and the three gateway headers. {@code rawPathAndQuery} is what was
 * signed and must be exactly what goes on the wire. {@code platform}: whose model its answer is read with;
 * {@code action}: NCP's name for the call (what it is measured as).
 */
public record SignedCall(Platform platform, String action, String url, String rawPathAndQuery, long timestamp, String accessKey,
        String signature) {

    public static final String TIMESTAMP_HEADER = "x-ncp-apigw-timestamp";
    public static final String ACCESS_KEY_HEADER = "x-ncp-iam-access-key";
    public static final String SIGNATURE_HEADER = "x-ncp-apigw-signature-v2";

    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(TIMESTAMP_HEADER, Long.toString(timestamp));
        headers.put(ACCESS_KEY_HEADER, accessKey);
        headers.put(SIGNATURE_HEADER, signature);
        return headers;
    }
}
