package io.github.ncpsnapshotbridge.simulator;

import io.github.ncpsnapshotbridge.testsupport.Answers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.ncp.NcpCallFactory;
import io.github.ncpsnapshotbridge.ncp.NcpCredentials;
import io.github.ncpsnapshotbridge.ncp.NcpOutcome;
import io.github.ncpsnapshotbridge.ncp.NcpResponseParser;
import io.github.ncpsnapshotbridge.ncp.Platform;
import io.github.ncpsnapshotbridge.ncp.SignedCall;

class NcpSimulatorTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private final NcpCredentials account = new NcpCredentials("AK-SIM", "SK-SIM");
    private final NcpSimulator simulator = new NcpSimulator(
            key -> key.equals("AK-SIM") ? Optional.of(account) : Optional.empty(), Clock.fixed(NOW, ZoneOffset.UTC));

    private SignedCall call(Instant at, String volume, String name) {
        return new NcpCallFactory("http://localhost:8080/ncp-simulator/server/v2", Clock.fixed(at, ZoneOffset.UTC))
                .prepare(NcpCallFactory.CREATE_SNAPSHOT, NcpCallFactory.createSnapshotParameters(volume, name, null), account);
    }

    private NcpSimulator.Reply send(SignedCall call, Map<String, String> overrides) {
        Map<String, String> headers = new java.util.HashMap<>(call.headers());
        headers.putAll(overrides);
        return simulator.handle("GET", call.rawPathAndQuery(), headers::get);
    }

    @Test
    void aCorrectlySignedCallGetsAnAnswerShapedLikeNcpsExample() {
        NcpSimulator.Reply first = send(call(NOW, "937508", "nightly 한"), Map.of());
        NcpSimulator.Reply second = send(call(NOW, "937508", null), Map.of());
        assertEquals(200, first.status());
        NcpOutcome.Created a = assertInstanceOf(NcpOutcome.Created.class,
                new NcpResponseParser().parseCreateSnapshot(Platform.CLASSIC, Answers.read(Platform.CLASSIC, 200, first.body().getBytes(StandardCharsets.UTF_8))));
        NcpOutcome.Created b = assertInstanceOf(NcpOutcome.Created.class,
                new NcpResponseParser().parseCreateSnapshot(Platform.CLASSIC, Answers.read(Platform.CLASSIC, 200, second.body().getBytes(StandardCharsets.UTF_8))));
        assertEquals("937508", a.snapshot().fields().get("originalBlockStorageInstanceNo"));
        assertEquals("nightly 한", a.snapshot().fields().get("blockStorageSnapshotName"));
        assertNotEquals(a.snapshot().fields().get("blockStorageSnapshotInstanceNo"), b.snapshot().fields().get("blockStorageSnapshotInstanceNo"));
        assertTrue(a.snapshot().fields().get("createDate").toString().endsWith("+0900"));
    }

    @Test
    void theGatewayChecksAreEnforced() {
        SignedCall good = call(NOW, "1", null);
        assertEquals(401, send(good, Map.of(SignedCall.SIGNATURE_HEADER, "AAAA")).status());
        assertEquals(401, send(good, Map.of(SignedCall.ACCESS_KEY_HEADER, "AK-OTHER")).status());
        assertEquals(401, send(call(NOW.minusSeconds(301), "1", null), Map.of()).status());
        assertEquals(200, send(call(NOW.minusSeconds(299), "1", null), Map.of()).status());
        // a query changed after signing (here re-encoded with '+') no longer matches
        NcpSimulator.Reply tampered = simulator.handle("GET",
                call(NOW, "1", "a b c").rawPathAndQuery().replace("%20", "+"), call(NOW, "1", "a b c").headers()::get);
        assertEquals(401, tampered.status());
        assertTrue(tampered.body().contains("Authentication Failed"));
    }

    @Test
    void theVpcApiIsAnsweredInItsOwnShapeAndSnapshotsBecomeUsableAfterFiveSeconds() {
        io.github.ncpsnapshotbridge.testsupport.TestClock clock = new io.github.ncpsnapshotbridge.testsupport.TestClock(NOW);
        NcpSimulator vpc = new NcpSimulator(key -> key.equals("AK-SIM") ? Optional.of(account) : Optional.empty(), clock);
        NcpCallFactory calls = new NcpCallFactory("http://localhost:8080/ncp-simulator/server/v2",
                "http://localhost:8080/ncp-simulator/vserver/v2", clock);
        SignedCall create = calls.prepare(Platform.VPC, NcpCallFactory.CREATE_SNAPSHOT, NcpCallFactory
                .createSnapshotParameters(Platform.VPC, "937508", "db01-nightly", null, "KR", "FULL"), account);
        NcpSimulator.Reply reply = vpc.handle("GET", create.rawPathAndQuery(), create.headers()::get);
        NcpOutcome.Created created = assertInstanceOf(NcpOutcome.Created.class, new NcpResponseParser()
                .parseCreateSnapshot(Platform.VPC, Answers.read(Platform.VPC, reply.status(), reply.body().getBytes(StandardCharsets.UTF_8))));
        assertEquals("INIT", created.snapshot().statusCode());
        assertEquals("937508", created.snapshot().originalVolume());

        clock.advance(java.time.Duration.ofSeconds(5));
        SignedCall status = calls.prepare(Platform.VPC, NcpCallFactory.LIST_SNAPSHOTS, NcpCallFactory.statusParameters(
                Platform.VPC, "KR", java.util.List.of(created.snapshot().instanceNo())), account);
        NcpSimulator.Reply listed = vpc.handle("GET", status.rawPathAndQuery(), status.headers()::get);
        var page = new NcpResponseParser().parseSnapshotList(Platform.VPC, Answers.read(Platform.VPC, listed.status(), listed.body().getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, page.snapshots().size());
        assertEquals("CREAT", page.snapshots().get(0).statusCode());
        assertEquals(0, new NcpResponseParser().parseSnapshotList(Platform.CLASSIC, Answers.read(Platform.CLASSIC, 200, vpc.handle("GET",
                calls.prepare(NcpCallFactory.LIST_SNAPSHOTS, NcpCallFactory.listSnapshotParameters("937508", 1, 100),
                        account).rawPathAndQuery(), calls.prepare(NcpCallFactory.LIST_SNAPSHOTS,
                        NcpCallFactory.listSnapshotParameters("937508", 1, 100), account).headers()::get).body()
                .getBytes(StandardCharsets.UTF_8))).snapshots().size(), "a VPC snapshot is not on the classic list");
    }
}
