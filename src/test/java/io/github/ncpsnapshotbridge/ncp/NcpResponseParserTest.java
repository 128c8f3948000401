package io.github.ncpsnapshotbridge.ncp;

import io.github.ncpsnapshotbridge.ncp.Platform;
import io.github.ncpsnapshotbridge.testsupport.Answers;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


class NcpResponseParserTest {

    private final NcpResponseParser parser = new NcpResponseParser();

    static byte[] resource(String name) throws IOException {
        try (InputStream in = NcpResponseParserTest.class.getResourceAsStream("/ncp/" + name)) {
            return in.readAllBytes();
        }
    }

    private NcpError failed(int status, String body) {
        NcpOutcome outcome = parser.parseCreateSnapshot(Platform.CLASSIC, Answers.read(Platform.CLASSIC, status, body.getBytes(StandardCharsets.UTF_8)));
        return assertInstanceOf(NcpOutcome.Failed.class, outcome).error();
    }

    @Test
    void theNcpPageExampleBindsEveryField() throws IOException {
        NcpOutcome.Created created = assertInstanceOf(NcpOutcome.Created.class,
                parser.parseCreateSnapshot(Platform.CLASSIC, Answers.read(Platform.CLASSIC, 200, resource("create-snapshot-example.xml"))));
        assertEquals("27d8566c-c085-47d7-9535-d58ccd6dcdc5", created.ncpRequestId());
        assertEquals("0", created.returnCode());
        assertEquals("success", created.returnMessage());
        NcpSnapshot s = created.snapshot();
        assertEquals("1089149", s.fields().get("blockStorageSnapshotInstanceNo"));
        assertEquals("snap1675890abe3", s.fields().get("blockStorageSnapshotName"));
        assertEquals(53687091200L, s.fields().get("blockStorageSnapshotVolumeSize"));
        assertEquals("937508", s.fields().get("originalBlockStorageInstanceNo"));
        assertEquals("s165d2104110", s.fields().get("originalBlockStorageName"));
        assertEquals("INIT", code(s, "blockStorageSnapshotInstanceStatus", "code"));
        assertEquals("Block storage INIT state", code(s, "blockStorageSnapshotInstanceStatus", "codeName"));
        assertEquals("NULL", code(s, "blockStorageSnapshotInstanceOperation", "code"));
        assertEquals("Block Storage NULLOP", code(s, "blockStorageSnapshotInstanceOperation", "codeName"));
        assertEquals("initialized", s.fields().get("blockStorageSnapshotInstanceStatusName"));
        assertEquals("2018-11-28T13:25:35+0900", s.fields().get("createDate"));
        assertEquals("", s.fields().get("blockStorageSnapshotInstanceDescription"));
        assertEquals("SPSW0LINUX000044", s.fields().get("serverImageProductCode"));
        assertEquals("CentOS 6.6(64bit)", s.fields().get("osInformation"));
    }

    @Test
    void aVpcAnswerBindsItsOwnShapeAndIgnoresUnknownElements() throws IOException {
        NcpOutcome.Created created = assertInstanceOf(NcpOutcome.Created.class,
                parser.parseCreateSnapshot(Platform.VPC, Answers.read(Platform.VPC, 200, resource("vpc-create-snapshot-example.xml"))));
        NcpSnapshot s = created.snapshot();
        assertEquals(Platform.VPC, s.platform());
        assertEquals("2345678", s.instanceNo());
        assertEquals("1234567", s.originalVolume());
        assertEquals("nightly [nsb:0123456789abcdef0123]", s.description(), "VPC's own description element");
        assertEquals("INIT", s.statusCode());
        assertEquals("INCREMENTAL", code(s, "snapshotType", "code"));
        assertEquals(3, s.fields().get("snapshotChainDepth"));
        assertEquals("KVM", code(s, "hypervisorType", "code"));
        assertEquals("CB1", code(s, "blockStorageVolumeType", "code"));
        assertEquals(false, s.fields().get("isBootable"));
        assertEquals(10737418240L, s.fields().get("blockStorageSnapshotVolumeSize"));
        assertFalse(s.fields().containsKey("someFieldNcpAddsNextYear"));
        // the same bytes read as a classic answer bind no snapshot: each platform has its own model
        assertInstanceOf(NcpOutcome.Failed.class,
                parser.parseCreateSnapshot(Platform.CLASSIC, Answers.read(Platform.CLASSIC, 200, resource("vpc-create-snapshot-example.xml"))));
    }

    @Test
    void unknownElementsAreIgnored() throws IOException {
        NcpOutcome.Created created = assertInstanceOf(NcpOutcome.Created.class,
                parser.parseCreateSnapshot(Platform.CLASSIC, Answers.read(Platform.CLASSIC, 200, resource("create-snapshot-with-unknown-elements.xml"))));
        assertEquals("2000001", created.snapshot().fields().get("blockStorageSnapshotInstanceNo"));
        assertEquals("INIT", code(created.snapshot(), "blockStorageSnapshotInstanceStatus", "code"));
        assertEquals("weekly", created.snapshot().fields().get("blockStorageSnapshotInstanceDescription"));
    }

    @Test
    void xmlResponseErrorIsAClientRefusal() throws IOException {
        NcpOutcome outcome = parser.parseCreateSnapshot(Platform.CLASSIC, Answers.read(Platform.CLASSIC, 400, resource("response-error.xml")));
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
        NcpOutcome outcome = parser.parseCreateSnapshot(Platform.CLASSIC, Answers.read(Platform.CLASSIC, 200, body.getBytes(StandardCharsets.UTF_8)));
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

    @Test
    void aRefusedAnswerLeavesTheThreadsParserReadyForTheNextAnswer() throws IOException {
        String bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY e \"x\">]><responseError>&e;</responseError>";
        for (int i = 0; i < 3; i++) {
            assertEquals(ErrorCategory.MALFORMED_RESPONSE, failed(200, bomb).category());
            assertEquals(ErrorCategory.MALFORMED_RESPONSE, failed(200, "<createBlockStorageSnapshotInstanceResponse>").category());
            NcpOutcome.Created created = assertInstanceOf(NcpOutcome.Created.class,
                    parser.parseCreateSnapshot(Platform.CLASSIC, Answers.read(Platform.CLASSIC, 200, resource("create-snapshot-with-unknown-elements.xml"))));
            assertEquals("2000001", created.snapshot().instanceNo());
        }
    }

    @Test
    void threadsParsingAtOnceEachGetTheirOwnAnswer() throws Exception {
        byte[] classic = resource("create-snapshot-with-unknown-elements.xml");
        byte[] vpc = resource("vpc-create-snapshot-example.xml");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        NcpOutcome.Created c = assertInstanceOf(NcpOutcome.Created.class,
                                parser.parseCreateSnapshot(Platform.CLASSIC, Answers.read(Platform.CLASSIC, 200, classic)));
                        assertEquals("2000001", c.snapshot().instanceNo());
                        NcpOutcome.Created v = assertInstanceOf(NcpOutcome.Created.class,
                                parser.parseCreateSnapshot(Platform.VPC, Answers.read(Platform.VPC, 200, vpc)));
                        assertEquals("2345678", v.snapshot().instanceNo());
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static Object code(NcpSnapshot s, String field, String part) {
        return ((java.util.Map<?, ?>) s.fields().get(field)).get(part);
    }
}
