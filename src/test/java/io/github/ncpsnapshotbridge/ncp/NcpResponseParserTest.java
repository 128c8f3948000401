package io.github.ncpsnapshotbridge.ncp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.ncpsnapshotbridge.ncp.model.BlockStorageSnapshot;

class NcpResponseParserTest {

    private final NcpResponseParser parser = new NcpResponseParser();

    static byte[] resource(String name) throws IOException {
        try (InputStream in = NcpResponseParserTest.class.getResourceAsStream("/ncp/" + name)) {
            return in.readAllBytes();
        }
    }

    private NcpError failed(int status, String body) {
        NcpOutcome outcome = parser.parseCreateSnapshot(status, body.getBytes(StandardCharsets.UTF_8));
        return assertInstanceOf(NcpOutcome.Failed.class, outcome).error();
    }

    @Test
    void theNcpPageExampleBindsEveryField() throws IOException {
        NcpOutcome.Created created = assertInstanceOf(NcpOutcome.Created.class,
                parser.parseCreateSnapshot(200, resource("create-snapshot-example.xml")));
        assertEquals("27d8566c-c085-47d7-9535-d58ccd6dcdc5", created.ncpRequestId());
        assertEquals("0", created.returnCode());
        assertEquals("success", created.returnMessage());
        BlockStorageSnapshot s = created.snapshot();
        assertEquals("1089149", s.getBlockStorageSnapshotInstanceNo());
        assertEquals("snap1675890abe3", s.getBlockStorageSnapshotName());
        assertEquals(53687091200L, s.getBlockStorageSnapshotVolumeSize());
        assertEquals("937508", s.getOriginalBlockStorageInstanceNo());
        assertEquals("s165d2104110", s.getOriginalBlockStorageName());
        assertEquals("INIT", s.getBlockStorageSnapshotInstanceStatus().getCode());
        assertEquals("Block storage INIT state", s.getBlockStorageSnapshotInstanceStatus().getCodeName());
        assertEquals("NULL", s.getBlockStorageSnapshotInstanceOperation().getCode());
        assertEquals("Block Storage NULLOP", s.getBlockStorageSnapshotInstanceOperation().getCodeName());
        assertEquals("initialized", s.getBlockStorageSnapshotInstanceStatusName());
        assertEquals("2018-11-28T13:25:35+0900", s.getCreateDate());
        assertEquals("", s.getBlockStorageSnapshotInstanceDescription());
        assertEquals("SPSW0LINUX000044", s.getServerImageProductCode());
        assertEquals("CentOS 6.6(64bit)", s.getOsInformation());
    }

    @Test
    void unknownElementsAreIgnored() throws IOException {
        NcpOutcome.Created created = assertInstanceOf(NcpOutcome.Created.class,
                parser.parseCreateSnapshot(200, resource("create-snapshot-with-unknown-elements.xml")));
        assertEquals("2000001", created.snapshot().getBlockStorageSnapshotInstanceNo());
        assertEquals("INIT", created.snapshot().getBlockStorageSnapshotInstanceStatus().getCode());
        assertEquals("weekly", created.snapshot().getBlockStorageSnapshotInstanceDescription());
    }

    @Test
    void xmlResponseErrorIsAClientRefusal() throws IOException {
        NcpOutcome outcome = parser.parseCreateSnapshot(400, resource("response-error.xml"));
        NcpError error = assertInstanceOf(NcpOutcome.Failed.class, outcome).error();
        assertEquals(400, error.httpStatus());
        assertEquals("24", error.returnCode());
        assertEquals("blockStorageInstanceNo : not found", error.returnMessage());
        assertEquals(ErrorCategory.CLIENT, error.category());
        assertFalse(error.retryable());
    }

    @Test
    void jsonResponseErrorTryAgainLaterIsRetryable() {
        NcpError error = failed(500, "{\"responseError\":{\"returnCode\":\"1000\",\"returnMessage\":\"try again later\"}}");
        assertEquals("1000", error.returnCode());
        assertEquals(ErrorCategory.SERVER, error.category());
        assertTrue(error.retryable());
    }

    @Test
    void gatewayAuthenticationErrorIsAuth() {
        NcpError error = failed(401,
                "{\"error\":{\"errorCode\":\"200\",\"message\":\"Authentication Failed\",\"details\":\"Invalid authentication information.\"}}");
        assertEquals(ErrorCategory.AUTH, error.category());
        assertEquals("200", error.returnCode());
        assertEquals("Authentication Failed", error.returnMessage());
        assertFalse(error.retryable());
    }

    @Test
    void gatewayThrottlingIsRetryable() {
        NcpError error = failed(429, "{\"error\":{\"errorCode\":\"400\",\"message\":\"Quota Exceeded\"}}");
        assertEquals(ErrorCategory.THROTTLED, error.category());
        assertTrue(error.retryable());
    }

    @Test
    void truncatedBodyIsMalformedAndSaysWhy() throws IOException {
        byte[] full = resource("create-snapshot-example.xml");
        byte[] half = java.util.Arrays.copyOf(full, full.length / 2);
        NcpError error = failed(200, new String(half, StandardCharsets.UTF_8));
        assertEquals(ErrorCategory.MALFORMED_RESPONSE, error.category());
        assertTrue(error.returnMessage().startsWith("the answer is not well-formed"), error.returnMessage());
        assertFalse(error.returnMessage().contains("\tat "), "no stack trace in the message");
        assertFalse(error.retryable(), "an unreadable success may have created the snapshot: never retried blindly");
    }

    @Test
    void externalEntityIsNeverResolved(@TempDir Path dir) throws IOException {
        Path secretFile = dir.resolve("host-file.txt");
        Files.writeString(secretFile, "CONTENT-OF-A-LOCAL-FILE");
        String body = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM \"" + secretFile.toUri() + "\">]>\n"
                + "<createBlockStorageSnapshotInstanceResponse><requestId>&xxe;</requestId><returnCode>0</returnCode>"
                + "<blockStorageSnapshotInstanceList><blockStorageSnapshot><blockStorageSnapshotName>&xxe;</blockStorageSnapshotName>"
                + "</blockStorageSnapshot></blockStorageSnapshotInstanceList></createBlockStorageSnapshotInstanceResponse>";
        NcpOutcome outcome = parser.parseCreateSnapshot(200, body.getBytes(StandardCharsets.UTF_8));
        NcpError error = assertInstanceOf(NcpOutcome.Failed.class, outcome).error();
        assertEquals(ErrorCategory.MALFORMED_RESPONSE, error.category());
        assertFalse(error.returnMessage().contains("CONTENT-OF-A-LOCAL-FILE"));
    }

    @Test
    void entityExpansionBombIsRefused() {
        StringBuilder body = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        String previous = "lol";
        for (int i = 1; i <= 9; i++) {
            body.append("<!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++) {
                body.append('&').append(previous).append(';');
            }
            body.append("\">");
            previous = "lol" + i;
        }
        body.append("]>\n<responseError><returnMessage>&lol9;</returnMessage></responseError>");
        NcpError error = failed(200, body.toString());
        assertEquals(ErrorCategory.MALFORMED_RESPONSE, error.category());
        assertTrue(error.returnMessage().length() < 1000);
    }

    @Test
    void nonXmlSuccessIsMalformed() {
        assertEquals(ErrorCategory.MALFORMED_RESPONSE, failed(200, "OK").category());
        assertEquals(ErrorCategory.MALFORMED_RESPONSE, failed(200, "").category());
        assertEquals(ErrorCategory.MALFORMED_RESPONSE, failed(200, "<html><body>hi</body></html>").category());
    }

    @Test
    void successWithoutSnapshotIsMalformed() {
        NcpError error = failed(200, "<createBlockStorageSnapshotInstanceResponse><returnCode>0</returnCode>"
                + "<totalRows>0</totalRows></createBlockStorageSnapshotInstanceResponse>");
        assertEquals(ErrorCategory.MALFORMED_RESPONSE, error.category());
    }

    @Test
    void proxyErrorPageKeepsItsHttpStatus() {
        NcpError error = failed(502, "<html><body><h1>502 Bad Gateway</h1></body></html>");
        assertEquals(502, error.httpStatus());
        assertEquals(ErrorCategory.SERVER, error.category());
        assertNull(error.returnCode());
        assertTrue(error.retryable());
    }
}
