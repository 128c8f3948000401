package io.github.ncpsnapshotbridge.ncp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * NCP API Gateway signature v2: Base64(HmacSHA256(secret, METHOD + " " + rawPathAndQuery + "\n" + timestamp + "\n"
 * + accessKey)). The path and query must be the exact bytes sent on the wire, base path included.
 */
public final class NcpSigner {

    private NcpSigner() {
    }

    public static String sign(String method, String rawPathAndQuery, long timestampMillis, NcpCredentials credentials) {
        return sign(method, rawPathAndQuery, timestampMillis, credentials.accessKey(), credentials.secretKey());
    }

    static String sign(String method, String rawPathAndQuery, long timestampMillis, String accessKey, String secretKey) {
        String message = method + " " + rawPathAndQuery + "\n" + timestampMillis + "\n" + accessKey;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is mandatory on every JVM; reaching this means a broken runtime, not bad input
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** True when {@code signature} is what {@code credentials} would sign; compares in constant time. */
    public static boolean verify(String signature, String method, String rawPathAndQuery, long timestampMillis,
            NcpCredentials credentials) {
        byte[] expected = sign(method, rawPathAndQuery, timestampMillis, credentials).getBytes(StandardCharsets.US_ASCII);
        byte[] given = signature == null ? new byte[0] : signature.getBytes(StandardCharsets.US_ASCII);
        return java.security.MessageDigest.isEqual(expected, given);
    }
}
