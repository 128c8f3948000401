package io.github.ncpsnapshotbridge;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.testsupport.AppProcess;
import io.github.ncpsnapshotbridge.testsupport.BridgeJar;
import io.github.ncpsnapshotbridge.testsupport.DropFolders;
import io.github.ncpsnapshotbridge.testsupport.KafkaBroker;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFake.Reply;
import io.github.ncpsnapshotbridge.testsupport.Requests;
import io.restassured.response.Response;

/** The HTTP API of the packaged jar (prod profile, a tokens file), as a user meets it, and through a SIGKILL. */
class HttpApiJarIT {

    private static final String PATH = "/api/v1/snapshot-requests";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final String token = "jar-token-" + UUID.randomUUID();

    private BridgeJar jar(NcpFake ncp, Path work) throws Exception {
        Path tokens = work.resolve("tokens");
        Files.writeString(tokens, token + "\n");
        return BridgeJar.against(ncp, "AKHTTPJAR").with("BRIDGE_HTTP_ENABLED", "true")
                .with("BRIDGE_HTTP_TOKENS_FILE", tokens.toString())
                .with("BRIDGE_COMPLETION_POLL_INTERVAL", "500ms")
                .with("BRIDGE_NCP_LOOKUP_SETTLE", "2s")
                .with("BRIDGE_IDEMPOTENCY_LEASE", "6s")
                .with("BRIDGE_RETRY_MAX_ATTEMPTS", "2")
                .with("BRIDGE_RETRY_INITIAL_DELAY", "100ms");
    }

    private static String base(AppProcess app) {
        await().atMost(WAIT).until(() -> app.httpPort().isPresent());
        return "http://127.0.0.1:" + app.httpPort().orElseThrow();
    }

    private Response submit(String base, String body) {
        return given().baseUri(base).auth().oauth2(token).contentType("application/json").body(body).post(PATH);
    }

    private String state(String base, String requestId) {
        return given().baseUri(base).auth().oauth2(token).get(PATH + "/" + requestId).jsonPath().getString("state");
    }

    private static Path work(String name) throws Exception {
        return Files.createDirectories(Path.of("target", "test-runs", name + "-" + UUID.randomUUID())).toAbsolutePath();
    }

    @Test
    void aUserSubmitsFollowsRetriesAndSendsAgain() throws Exception {
        Path work = work("http-jar");
        DropFolders folders = new DropFolders(work.resolve("data/inbox"), work.resolve("data/outbox"));
        try (NcpFake ncp = new NcpFake()) {
            ncp.readyAfterPolls(2);
            try (AppProcess app = jar(ncp, work).start(work)) {
                String base = base(app);
                String volume = NcpFake.randomVolume();
                assertEquals(401, given().baseUri(base).contentType("application/json")
                        .body(Requests.of("jar-1", volume).json()).post(PATH).statusCode());
                Response bad = submit(base, "{\"blockStorageInstanceNo\":\"db01\"}");
                assertEquals(400, bad.statusCode());
                assertEquals("blockStorageInstanceNo", bad.jsonPath().getString("errors[0].field"));

                String id = "jar-" + UUID.randomUUID();
                assertEquals(202, submit(base, Requests.of(id, volume).json()).statusCode());
                assertTrue(List.of("accepted", "in-progress", "created", "completed").contains(state(base, id)));
                await().atMost(WAIT).until(() -> "completed".equals(state(base, id)));
                assertEquals(1, ncp.newSnapshotsOf(volume).size());

                String flaky = NcpFake.randomVolume();
                Reply later = Reply.json(503, "{\"responseError\":{\"returnCode\":\"1000\",\"returnMessage\":\"later\"}}");
                ncp.script(flaky, later, later);
                String retried = "jar-retry-" + UUID.randomUUID();
                assertEquals(202, submit(base, Requests.of(retried, flaky).json()).statusCode());
                await().atMost(WAIT).until(() -> "failed".equals(state(base, retried)));
                assertEquals(202, submit(base, Requests.of(retried, flaky).json()).statusCode());
                await().atMost(WAIT).until(() -> List.of("created", "completed").contains(state(base, retried)));
                assertEquals(1, ncp.newSnapshotsOf(flaky).size(), "created on the second round, once");

                assertEquals(202, submit(base, Requests.of(id, volume).json()).statusCode());
                await().atMost(WAIT).until(() -> folders.eventsForRequestIds(id).stream()
                        .anyMatch(e -> e.path("type").asText().endsWith(".duplicate")));
                JsonNode duplicate = folders.eventsForRequestIds(id).stream()
                        .filter(e -> e.path("type").asText().endsWith(".duplicate")).findFirst().orElseThrow();
                assertEquals("ncp.blockstorage.snapshot.created", duplicate.at("/data/previous/type").asText());
                assertEquals(ncp.newSnapshotsOf(volume).get(0).number(), duplicate.at("/data/previous/snapshot").asText());
                assertTrue(!app.output().contains(token) && !app.errors().contains(token), "the token is never logged");
            }
        }
    }

    @Test
    void everyRequestAnsweredWith202GetsItsOutcomeAfterASigkill() throws Exception {
        Path work = work("http-kill");
        DropFolders folders = new DropFolders(work.resolve("data/inbox"), work.resolve("data/outbox"));
        try (NcpFake ncp = new NcpFake()) {
            // NCP is slow: most requests are still under way when the process dies
            ncp.answerDelay(Duration.ofMillis(700));
            BridgeJar jar = jar(ncp, work);
            String id = "burst-" + UUID.randomUUID();
            List<String> volumes = new ArrayList<>();
            AppProcess first = jar.start(work);
            try {
                String base = base(first);
                for (int i = 0; i < 20; i++) {
                    String volume = NcpFake.randomVolume();
                    volumes.add(volume);
                    assertEquals(202, submit(base, Requests.of(id + "-" + i, volume).json()).statusCode());
                }
            } finally {
                first.kill();
            }
            try (AppProcess second = jar.start(work)) {
                await().atMost(Duration.ofSeconds(90)).until(() -> folders.eventsForRequestIds(id).stream()
                        .filter(e -> e.path("type").asText().endsWith(".created")).count() == 20);
                for (String volume : volumes) {
                    assertEquals(1, ncp.newSnapshotsOf(volume).size(), "one snapshot for volume " + volume);
                }
            }
        }
    }

    @Test
    void whileTheStoreCannotBeWrittenACallIsAnswered503AndSentAgainLaterIsCreatedOnce() throws Exception {
        Path work = work("http-503");
        try (NcpFake ncp = new NcpFake(); KafkaBroker kafka = new KafkaBroker(work.resolve("kafka"))) {
            kafka.start();
            kafka.createTopic("ncp.snapshot.requests", 1);
            kafka.createTopic("ncp.snapshot.events", 1);
            BridgeJar jar = jar(ncp, work).kafka(kafka).with("BRIDGE_IDEMPOTENCY_STORE", "kafka");
            try (AppProcess app = jar.start(work)) {
                String base = base(app);
                String before = "store-up-" + UUID.randomUUID();
                await().atMost(WAIT).until(() -> submit(base, Requests.of(before, NcpFake.randomVolume()).json())
                        .statusCode() == 202);
                await().atMost(WAIT).until(() -> List.of("created", "completed").contains(state(base, before)));

                kafka.stop();
                String id = "store-down-" + UUID.randomUUID();
                String volume = NcpFake.randomVolume();
                Response refused = submit(base, Requests.of(id, volume).json());
                assertEquals(503, refused.statusCode(), refused.asString());
                assertEquals("5", refused.header("Retry-After"));
                assertEquals("application/problem+json", refused.contentType());
                assertTrue(ncp.callsFor(volume).isEmpty(), "nothing was sent for a request not handed over");

                kafka.start();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2))
                        .until(() -> submit(base, Requests.of(id, volume).json()).statusCode() == 202);
                await().atMost(WAIT).until(() -> List.of("created", "completed").contains(state(base, id)));
                assertEquals(1, ncp.newSnapshotsOf(volume).size(), "created once, when sent again");
            }
        }
    }
}
