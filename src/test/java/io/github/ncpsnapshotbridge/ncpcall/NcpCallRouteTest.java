package io.github.ncpsnapshotbridge.ncpcall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.ncp.ErrorCategory;
import io.github.ncpsnapshotbridge.ncp.HttpReply;
import io.github.ncpsnapshotbridge.ncp.NcpCallFactory;
import io.github.ncpsnapshotbridge.ncp.NcpCallMetrics;
import io.github.ncpsnapshotbridge.ncp.NcpCredentials;
import io.github.ncpsnapshotbridge.ncp.NcpGate;
import io.github.ncpsnapshotbridge.ncp.NcpHttp;
import io.github.ncpsnapshotbridge.ncp.SignedCall;
import io.github.ncpsnapshotbridge.ncp.CreateAttempts;

import io.github.ncpsnapshotbridge.testsupport.NcpFake;

/**
 * The route every NCP call takes (camel-http), in a Camel context of its own: an answer comes back as it came, and a
 * call that gets no answer, or no connection, in time ends as a timeout.
 */
class NcpCallRouteTest {

    private static final NcpCredentials ACCOUNT = new NcpCredentials("AKHTTPTEST", "http-test-only-not-a-secret");

    /** The route in a context of its own, and the calls it carries; closing it stops the context. */
    private record Route(CamelContext camel, NcpHttp http) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            camel.close();
        }
    }

    private static Route http(Duration connect, Duration read) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.addRoutes(new NcpCallRoute(connect, read, 4, NcpCallMetrics.NONE));
        camel.start();
        return new Route(camel, new NcpHttp(new NcpGate(1000, 4, 3, Clock.systemUTC()), NcpCallMetrics.NONE,
                new CamelNcpTransport(camel.createProducerTemplate())));
    }

    private static SignedCall call(String baseUrl) {
        return new NcpCallFactory(baseUrl, Clock.systemUTC()).prepare(NcpCallFactory.CREATE_SNAPSHOT,
                NcpCallFactory.createSnapshotParameters("937508", null, null), ACCOUNT);
    }

    @Test
    void anAnswerReadsThroughAndTheConnectionIsUsedAgain() throws Exception {
        try (NcpFake ncp = new NcpFake(); Route route = http(Duration.ofSeconds(1), Duration.ofSeconds(2))) {
            ncp.account(ACCOUNT.accessKey(), "http-test-only-not-a-secret");
            for (int i = 0; i < 3; i++) {
                HttpReply reply = route.http().send(() -> call(ncp.baseUrl()));
                assertEquals(200, reply.status());
                assertTrue(new String(reply.body()).contains("createBlockStorageSnapshotInstanceResponse"));
            }
        }
    }

    @Test
    void anAnswerThatNeverComesEndsAsATimeoutAtTheDeadline() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Route route = http(Duration.ofMillis(200), Duration.ofMillis(300))) {
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
            Exception timeout = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(
                    Exception.class,
                    () -> route.http().send(() -> call("http://127.0.0.1:" + silent.getLocalPort() + "/server/v2"))));
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertEquals(ErrorCategory.TIMEOUT, CreateAttempts.errorOf(timeout).category(), "reported as a timeout");
            assertTrue(tookMs >= 300 && tookMs < 2000, "ended at the read timeout: " + tookMs + " ms");
            acceptor.interrupt();
        }
    }

    @Test
    void aConnectionThatCannotBeOpenedEndsAsATimeoutAtTheDeadline() throws Exception {
        // a listener that accepts nobody, its queue full: the kernel drops further connection attempts
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Route route = http(Duration.ofMillis(200), Duration.ofMillis(300))) {
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
                Exception timeout = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(Exception.class,
                        () -> route.http().send(() -> call("http://127.0.0.1:" + full.getLocalPort() + "/server/v2"))));
                long tookMs = (System.nanoTime() - started) / 1_000_000;
                assertEquals(ErrorCategory.TIMEOUT, CreateAttempts.errorOf(timeout).category(), timeout.toString());
                assertTrue(tookMs >= 200 && tookMs < 2000, "ended at the connect timeout: " + tookMs + " ms");
            } finally {
                for (Socket s : filling) {
                    s.close();
                }
            }
        }
    }
}
