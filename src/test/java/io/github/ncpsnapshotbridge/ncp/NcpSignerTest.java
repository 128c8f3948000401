package io.github.ncpsnapshotbridge.ncp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class NcpSignerTest {

    private static final String ACCESS = "AKTESTACCESSKEY01";
    private static final String SECRET = "sk-test-0123456789";
    private static final long TS = 1732700000000L;
    private static final Clock FIXED = Clock.fixed(Instant.ofEpochMilli(TS), ZoneOffset.UTC);

    /** The query written out by hand, byte for byte: spaces, '/', '&', '=', '+' and Hangul all need encoding. */
    private static final String EXPECTED_PATH_AND_QUERY = "/server/v2/createBlockStorageSnapshotInstance"
            + "?blockStorageInstanceNo=937508"
            + "&blockStorageSnapshotName=db01%20nightly%2F%ED%95%9C"
            + "&blockStorageSnapshotDescription=a%26b%3Dc%2Bd%20~x.y_z-";

    private final NcpCallFactory factory = new NcpCallFactory("https://ncloud.apigw.ntruss.com/server/v2", FIXED);

    private SignedCall sample() {
        return factory.prepare(NcpCallFactory.CREATE_SNAPSHOT,
                NcpCallFactory.createSnapshotParameters("937508", "db01 nightly/한", "a&b=c+d ~x.y_z-"),
                new NcpCredentials(ACCESS, SECRET));
    }

    @Test
    void signsThePathWithBasePathAndTheQueryExactlyAsSent() {
        SignedCall call = sample();
        assertEquals(EXPECTED_PATH_AND_QUERY, call.rawPathAndQuery());
        assertEquals("https://ncloud.apigw.ntruss.com" + EXPECTED_PATH_AND_QUERY, call.url());
        assertEquals(TS, call.timestamp());
        assertEquals(ACCESS, call.accessKey());
    }

    @Test
    void signatureMatchesAVectorComputedOutsideTheBridge() {
        // computed once with: printf 'GET <path?query>\n<ts>\n<access>' | openssl dgst -sha256 -hmac <secret> -binary | base64
        assertEquals("aa55KU4ToC3aj98FKUMCRoo9ndkAoZZVYAOrY/P3CvM=", sample().signature());
    }

    @Test
    void signatureMatchesHmacComputedHereFromTheContractFormula() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String message = "GET " + EXPECTED_PATH_AND_QUERY + "\n" + TS + "\n" + ACCESS;
        String expected = Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        SignedCall call = sample();
        assertEquals(expected, call.signature());
        assertEquals(expected, call.headers().get("x-ncp-apigw-signature-v2"));
        assertEquals(Long.toString(TS), call.headers().get("x-ncp-apigw-timestamp"));
        assertEquals(ACCESS, call.headers().get("x-ncp-iam-access-key"));
    }

    @Test
    void everyCallIsSignedAtItsOwnMoment() {
        NcpCredentials credentials = new NcpCredentials(ACCESS, SECRET);
        SignedCall first = new NcpCallFactory("https://h/server/v2", Clock.fixed(Instant.ofEpochMilli(TS), ZoneOffset.UTC))
                .prepare(NcpCallFactory.CREATE_SNAPSHOT, NcpCallFactory.createSnapshotParameters("1", null, null), credentials);
        SignedCall later = new NcpCallFactory("https://h/server/v2", Clock.fixed(Instant.ofEpochMilli(TS + 1), ZoneOffset.UTC))
                .prepare(NcpCallFactory.CREATE_SNAPSHOT, NcpCallFactory.createSnapshotParameters("1", null, null), credentials);
        assertNotEquals(first.signature(), later.signature());
        assertEquals("/server/v2/createBlockStorageSnapshotInstance?blockStorageInstanceNo=1", first.rawPathAndQuery());
    }

    @Test
    void baseUrlWithTrailingSlashOrOtherRegionKeepsItsPath() {
        NcpCredentials credentials = new NcpCredentials(ACCESS, SECRET);
        SignedCall call = new NcpCallFactory("https://ncloud.apigw.gov-ntruss.com/vserver/v2/", FIXED)
                .prepare(NcpCallFactory.CREATE_SNAPSHOT, NcpCallFactory.createSnapshotParameters("5", null, null), credentials);
        assertEquals("/vserver/v2/createBlockStorageSnapshotInstance?blockStorageInstanceNo=5", call.rawPathAndQuery());
    }

    @Test
    void verifyAcceptsOnlyTheRightKeyAndBytes() {
        SignedCall call = sample();
        NcpCredentials right = new NcpCredentials(ACCESS, SECRET);
        assertTrue(NcpSigner.verify(call.signature(), "GET", EXPECTED_PATH_AND_QUERY, TS, right));
        assertFalse(NcpSigner.verify(call.signature(), "GET", EXPECTED_PATH_AND_QUERY, TS,
                new NcpCredentials(ACCESS, SECRET + "x")));
        assertFalse(NcpSigner.verify(call.signature(), "GET", EXPECTED_PATH_AND_QUERY.replace("%20", "+"), TS, right));
        assertFalse(NcpSigner.verify(call.signature(), "GET", EXPECTED_PATH_AND_QUERY, TS + 1, right));
    }

    @Test
    void credentialsNeverRenderTheSecret() {
        assertFalse(new NcpCredentials(ACCESS, SECRET).toString().contains(SECRET));
    }
}
