package io.github.ncpsnapshotbridge.ncp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.testsupport.NcpFake;

/** The HTTP client's deadlines: a call that gets no answer, or no connection, in time ends as a timeout. */
class NcpHttpTest {

    private static final NcpCredentials ACCOUNT = new NcpCredentials("AKHTTPTEST", "http-test-only-not-a-secret");

    private static NcpHttp http(Duration connect, Duration read) {
        return new NcpHttp(new NcpGate(1000, 4, 3, Clock.systemUTC()), NcpCallMetrics.NONE, connect, read, 4);
    }

    private static SignedCall call(String baseUrl) {
        return new NcpCallFactory(baseUrl, Clock.systemUTC()).prepare(NcpCallFactory.CREATE_SNAPSHOT,
                NcpCallFactory.createSnapshotParameters("937508", null, null), ACCOUNT);
    }

    @Test
    void anAnswerReadsThroughAndTheConnectionIsUsedAgain() throws Exception {
        try (NcpFake ncp = new NcpFake(); NcpHttp http = http(Duration.ofSeconds(1), Duration.ofSeconds(2))) {
            ncp.account(ACCOUNT.accessKey(), "http-test-only-not-a-secret");
            for (int i = 0; i < 3; i++) {
                HttpReply reply = http.send(() -> call(ncp.baseUrl()), NcpCallFactory.CREATE_SNAPSHOT);
                assertEquals(200, reply.status());
                assertTrue(new String(reply.body()).contains("createBlockStorageSnapshotInstanceResponse"));
            }
        }
    }

    @Test
    void anAnswerThatNeverComesEndsAsATimeoutAtTheDeadline() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                NcpHttp http = http(Duration.ofMillis(200), Duration.ofMillis(300))) {
            Thread acceptor = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long started = System.nanoTime();
            SocketTimeoutException timeout = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(
                    SocketTimeoutException.class,
                    () -> http.send(() -> call("http://127.0.0.1:" + silent.getLocalPort() + "/server/v2"), "x")));
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertEquals(ErrorCategory.TIMEOUT, SnapshotCreator.errorOf(timeout).category(), "reported as a timeout");
            assertTrue(tookMs >= 500 && tookMs < 2000, "ended at the deadline (connect + read timeout): " + tookMs + " ms");
            acceptor.interrupt();
        }
    }

    @Test
    void aConnectionThatCannotBeOpenedEndsAsATimeoutAtTheDeadline() throws Exception {
        // a listener that accepts nobody, its queue full: the kernel drops further connection attempts
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                NcpHttp http = http(Duration.ofMillis(200), Duration.ofMillis(300))) {
            List<Socket> filling = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(full.getLocalSocketAddress(), 200);
                        filling.add(s);
                    } catch (java.io.IOException e) {
                        s.close();
                        break;
                    }
                }
                long started = System.nanoTime();
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(SocketTimeoutException.class,
                        () -> http.send(() -> call("http://127.0.0.1:" + full.getLocalPort() + "/server/v2"), "x")));
                long tookMs = (System.nanoTime() - started) / 1_000_000;
                assertTrue(tookMs >= 500 && tookMs < 2000, "ended at the deadline: " + tookMs + " ms");
            } finally {
                for (Socket s : filling) {
                    s.close();
                }
            }
        }
    }
}
