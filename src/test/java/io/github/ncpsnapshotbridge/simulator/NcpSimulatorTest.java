package io.github.ncpsnapshotbridge.simulator;

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
                new NcpResponseParser().parseCreateSnapshot(200, first.body().getBytes(StandardCharsets.UTF_8)));
        NcpOutcome.Created b = assertInstanceOf(NcpOutcome.Created.class,
                new NcpResponseParser().parseCreateSnapshot(200, second.body().getBytes(StandardCharsets.UTF_8)));
        assertEquals("937508", a.snapshot().getOriginalBlockStorageInstanceNo());
        assertEquals("nightly 한", a.snapshot().getBlockStorageSnapshotName());
        assertNotEquals(a.snapshot().getBlockStorageSnapshotInstanceNo(), b.snapshot().getBlockStorageSnapshotInstanceNo());
        assertTrue(a.snapshot().getCreateDate().endsWith("+0900"));
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
}
