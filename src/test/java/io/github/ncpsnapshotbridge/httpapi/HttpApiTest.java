package io.github.ncpsnapshotbridge.httpapi;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.support.Json;
import io.github.ncpsnapshotbridge.testsupport.DropFolderResource;
import io.github.ncpsnapshotbridge.testsupport.DropFolders;
import io.github.ncpsnapshotbridge.testsupport.InjectDropFolders;
import io.github.ncpsnapshotbridge.testsupport.InjectNcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFake.Reply;
import io.github.ncpsnapshotbridge.testsupport.NcpFakeResource;
import io.github.ncpsnapshotbridge.testsupport.OpenApiDocument;
import io.github.ncpsnapshotbridge.testsupport.Requests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The HTTP API as a caller meets it, with REST Assured: every endpoint and status code, each answer checked against
 * the schemas of the OpenAPI document the bridge serves, and the NCP fake holding exactly one snapshot per accepted
 * request. Test settings: 3 attempts, completion polled every 500 ms.
 */
@QuarkusTest
@TestProfile(HttpApiTest.Api.class)
@QuarkusTestResource(NcpFakeResource.class)
@QuarkusTestResource(DropFolderResource.class)
class HttpApiTest {

    static final String TOKEN = "test-token-" + UUID.randomUUID();
    private static final String PATH = "/api/v1/snapshot-requests";
    private static final Duration WAIT = Duration.ofSeconds(30);

    public static class Api implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path tokens = Files.createTempFile("bridge-tokens", ".txt");
                Files.writeString(tokens, "an-older-token\n" + TOKEN + "\n");
                tokens.toFile().deleteOnExit();
                return Map.of("bridge.http.enabled", "true", "bridge.http.tokens-file", tokens.toString(),
                        "bridge.completion.enabled", "true", "bridge.completion.poll-interval", "500ms",
                        "bridge.inbox.max-requests-per-file", "20",
                        // a retryable failure ends as failed once its attempts are used up, not stretched as an outage
                        "bridge.ncp.outage-after-failures", "100");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @InjectNcpFake
    NcpFake ncp;

    @InjectDropFolders
    DropFolders folders;

    @Inject
    CamelContext camel;

    /** The answer, after checking it against the document's schema for its call and status. */
    private static Response checked(String method, String path, Response response) {
        Set<String> problems = OpenApiDocument.problems(method, path, response.statusCode(), response.asString());
        assertEquals(Set.of(), problems, method + " " + path + " answered " + response.statusCode() + ": "
                + response.asString());
        return response;
    }

    private static Response submit(String body) {
        return checked("POST", PATH, given().auth().oauth2(TOKEN).contentType("application/json").body(body)
                .post(PATH));
    }

    private static Response status(String requestId) {
        return checked("GET", PATH + "/{requestId}", given().auth().oauth2(TOKEN).get(PATH + "/" + requestId));
    }

    private static JsonNode json(Response response) {
        try {
            return Json.MAPPER.readTree(response.asString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String state(String requestId) {
        return json(status(requestId)).path("state").asText();
    }

    @Test
    void aCallWithoutAListedTokenIsRefusedAndNothingIsHandedOver() {
        String id = "http-noauth-" + UUID.randomUUID();
        String volume = NcpFake.randomVolume();
        Response none = checked("POST", PATH, given().contentType("application/json")
                .body(Requests.of(id, volume).json()).post(PATH));
        assertEquals(401, none.statusCode());
        assertEquals("Bearer", none.header("WWW-Authenticate"));
        assertEquals(ApiProblem.CONTENT_TYPE, none.contentType());
        Response wrong = checked("GET", PATH + "/{requestId}", given().auth().oauth2("not-" + TOKEN).get(PATH + "/" + id));
        assertEquals(401, wrong.statusCode());
        assertFalse(wrong.asString().contains(TOKEN), "the answer does not quote a token");
        assertEquals(404, status(id).statusCode());
        assertTrue(ncp.callsFor(volume).isEmpty());
    }

    @Test
    void anAcceptedRequestIsCreatedOnceAndItsStatusFollowsItToCompleted() {
        ncp.readyAfterPolls(2);
        String id = "http-one-" + UUID.randomUUID();
        String volume = NcpFake.randomVolume();
        Response accepted = submit(Requests.of(id, volume).json());
        assertEquals(202, accepted.statusCode(), accepted.asString());
        assertEquals(PATH + "/" + id, accepted.header("Location"));
        assertEquals(id, json(accepted).at("/requests/0/requestId").asText());
        // known at once, on any replica: never 404 after a 202
        assertTrue(List.of("accepted", "in-progress", "created", "completed").contains(state(id)));

        await().atMost(WAIT).until(() -> "completed".equals(state(id)));
        JsonNode done = json(status(id));
        assertEquals(1, done.path("attempts").asInt());
        assertEquals("classic", done.path("platform").asText());
        List<NcpFake.Snapshot> made = ncp.newSnapshotsOf(volume);
        assertEquals(1, made.size(), "one snapshot for one accepted request");
        assertEquals(made.get(0).number(), done.at("/snapshot/blockStorageSnapshotInstanceNo").asText());
        assertEquals("CREAT", done.at("/snapshot/status").asText());
        assertEquals(2, done.path("events").size(), "the created and the completed event: " + done);
        List<JsonNode> events = folders.eventsForRequestIds(id);
        assertTrue(events.stream().anyMatch(e -> e.path("id").asText().equals(done.path("events").get(0).asText())),
                "the status names the created event published: " + events);
    }

    @Test
    void aRequestWhoseCreateIsUnderWayIsInProgress() {
        String id = "http-slow-" + UUID.randomUUID();
        String volume = NcpFake.randomVolume();
        // throttled for 4 s: the create waits, and its claim's renewal (every third of the 4 s lease) says it is sending
        ncp.script(volume, Reply.json(429, "{\"error\":{\"errorCode\":\"429\",\"message\":\"slow down\"}}")
                .withHeader("Retry-After", "4"), Reply.created());
        assertEquals(202, submit(Requests.of(id, volume).json()).statusCode());
        await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(100))
                .until(() -> "in-progress".equals(state(id)));
        await().atMost(WAIT).until(() -> List.of("created", "completed").contains(state(id)));
        assertEquals(1, ncp.newSnapshotsOf(volume).size());
    }

    @Test
    void anArrayIsHandedOverWholeAndEachRequestIsCreatedOnce() {
        String id = "http-array-" + UUID.randomUUID();
        List<String> volumes = List.of(NcpFake.randomVolume(), NcpFake.randomVolume(), NcpFake.randomVolume());
        String body = "[" + String.join(",", volumes.stream().map(v -> "{\"blockStorageInstanceNo\":\"" + v + "\"}")
                .toList()) + "]";
        Response accepted = checked("POST", PATH, given().auth().oauth2(TOKEN).contentType("application/json")
                .header("Idempotency-Key", id).body(body).post(PATH));
        assertEquals(202, accepted.statusCode(), accepted.asString());
        assertEquals(3, json(accepted).path("requests").size());
        assertEquals(null, accepted.header("Location"), "a Location only for a single request");
        for (int i = 0; i < 3; i++) {
            String requestId = id + ":" + (i + 1);
            assertEquals(requestId, json(accepted).at("/requests/" + i + "/requestId").asText());
            String volume = volumes.get(i);
            await().atMost(WAIT).until(() -> ncp.newSnapshotsOf(volume).size() == 1
                    && List.of("created", "completed").contains(state(requestId)));
        }
    }

    @Test
    void aRequestWithoutAnIdGetsOneAndTheKeyOfASingleRequestIsItsRequestId() {
        Response generated = submit("{\"blockStorageInstanceNo\":\"" + NcpFake.randomVolume() + "\"}");
        assertEquals(202, generated.statusCode());
        String given = json(generated).at("/requests/0/requestId").asText();
        assertEquals(36, given.length(), "a UUID: " + given);

        String key = "http-key-" + UUID.randomUUID();
        Response keyed = checked("POST", PATH, given().auth().oauth2(TOKEN).contentType("application/json")
                .header("Idempotency-Key", key).body("{\"blockStorageInstanceNo\":\"" + NcpFake.randomVolume() + "\"}")
                .post(PATH));
        assertEquals(202, keyed.statusCode());
        assertEquals(PATH + "/" + key, keyed.header("Location"));
    }

    @Test
    void aBrokenRuleIsA400NamingTheFieldAndNothingIsHandedOver() {
        String id = "http-bad-" + UUID.randomUUID();
        String good = NcpFake.randomVolume();
        Response bad = submit("[{\"requestId\":\"" + id + "-1\",\"blockStorageInstanceNo\":\"" + good + "\"},"
                + "{\"requestId\":\"" + id + "-2\",\"blockStorageInstanceNo\":\"db01\"}]");
        assertEquals(400, bad.statusCode());
        assertEquals(ApiProblem.CONTENT_TYPE, bad.contentType());
        JsonNode problem = json(bad);
        assertEquals("[2].blockStorageInstanceNo", problem.at("/errors/0/field").asText(), problem.toString());
        assertEquals(404, status(id + "-1").statusCode(), "the valid one was not handed over either");
        assertTrue(ncp.callsFor(good).isEmpty());

        Response notJson = checked("POST", PATH, given().auth().oauth2(TOKEN).contentType("text/plain")
                .body("blockStorageInstanceNo=1").post(PATH));
        assertEquals(415, notJson.statusCode());
        Response broken = submit("{\"blockStorageInstanceNo\":");
        assertEquals(400, broken.statusCode());

        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 21; i++) {
            many.append(i == 0 ? "" : ",").append("{\"blockStorageInstanceNo\":\"1\"}");
        }
        Response tooMany = submit(many.append("]").toString());
        assertEquals(413, tooMany.statusCode());
        assertTrue(json(tooMany).path("detail").asText().contains("BRIDGE_INBOX_MAX_REQUESTS_PER_FILE"));
        Response tooLarge = submit("{\"blockStorageInstanceNo\":\"1\",\"blockStorageSnapshotDescription\":\""
                + "x".repeat(1_100_000) + "\"}");
        assertEquals(413, tooLarge.statusCode());
        assertTrue(json(tooLarge).path("detail").asText().contains("BRIDGE_INBOX_MAX_FILE_SIZE"));
    }

    @Test
    void anUnknownRequestIdIsA404() {
        Response unknown = status("never-sent-" + UUID.randomUUID());
        assertEquals(404, unknown.statusCode());
        assertEquals(ApiProblem.CONTENT_TYPE, unknown.contentType());
    }

    @Test
    void aRetryableFailureSentAgainIsAttemptedAgainAndAFinishedOneGetsADuplicateNamingIt() {
        String id = "http-retry-" + UUID.randomUUID();
        String volume = NcpFake.randomVolume();
        Reply later = Reply.json(503, "{\"responseError\":{\"returnCode\":\"1000\",\"returnMessage\":\"later\"}}");
        ncp.script(volume, later, later, later);
        assertEquals(202, submit(Requests.of(id, volume).json()).statusCode());
        await().atMost(WAIT).until(() -> "failed".equals(state(id)));
        JsonNode failed = json(status(id));
        assertTrue(failed.at("/error/retryable").asBoolean(), failed.toString());
        assertEquals(3, failed.path("attempts").asInt());

        assertEquals(202, submit(Requests.of(id, volume).json()).statusCode());
        await().atMost(WAIT).until(() -> List.of("created", "completed").contains(state(id)));
        assertEquals(1, ncp.newSnapshotsOf(volume).size());
        List<JsonNode> events = folders.eventsForRequestIds(id);
        JsonNode failedEvent = events.stream().filter(e -> e.path("type").asText().endsWith(".failed")).findFirst()
                .orElseThrow();
        JsonNode createdEvent = events.stream().filter(e -> e.path("type").asText().endsWith(".created")).findFirst()
                .orElseThrow();
        assertEquals(4, createdEvent.at("/data/attempts").asInt(), "the second round counts on from the first");
        assertNotEquals(failedEvent.path("id").asText(), createdEvent.path("id").asText());

        // finished: each copy sent again gets a duplicate of its own, naming the outcome
        assertEquals(202, submit(Requests.of(id, volume).json()).statusCode());
        assertEquals(202, submit(Requests.of(id, volume).json()).statusCode());
        await().atMost(WAIT).until(() -> folders.eventsForRequestIds(id).stream()
                .filter(e -> e.path("type").asText().endsWith(".duplicate")).count() == 2);
        List<JsonNode> duplicates = folders.eventsForRequestIds(id).stream()
                .filter(e -> e.path("type").asText().endsWith(".duplicate")).toList();
        assertNotEquals(duplicates.get(0).path("id").asText(), duplicates.get(1).path("id").asText());
        JsonNode previous = duplicates.get(0).at("/data/previous");
        assertEquals("ncp.blockstorage.snapshot.created", previous.path("type").asText(), previous.toString());
        assertEquals(createdEvent.path("id").asText(), previous.path("id").asText());
        assertEquals(ncp.newSnapshotsOf(volume).get(0).number(), previous.path("snapshot").asText());
        assertEquals(1, ncp.newSnapshotsOf(volume).size(), "still one snapshot");
    }

    @Test
    void theDropFolderSendsAgainTheSameWay() {
        String id = "file-retry-" + UUID.randomUUID();
        String volume = NcpFake.randomVolume();
        Reply later = Reply.json(503, "{\"responseError\":{\"returnCode\":\"1000\",\"returnMessage\":\"later\"}}");
        ncp.script(volume, later, later, later);
        folders.drop(id + "-1.json", Requests.of(id, volume).json());
        await().atMost(WAIT).until(() -> folders.eventsForRequestIds(id).size() == 1);
        assertTrue(folders.eventsForRequestIds(id).get(0).at("/data/error/retryable").asBoolean());

        folders.drop(id + "-2.json", Requests.of(id, volume).json());
        await().atMost(WAIT).until(() -> folders.eventsForRequestIds(id).stream()
                .anyMatch(e -> e.path("type").asText().endsWith(".created")));
        JsonNode created = folders.eventsForRequestIds(id).stream()
                .filter(e -> e.path("type").asText().endsWith(".created")).findFirst().orElseThrow();
        assertEquals(4, created.at("/data/attempts").asInt());

        folders.drop(id + "-3.json", Requests.of(id, volume).json());
        await().atMost(WAIT).until(() -> folders.eventsForRequestIds(id).stream()
                .anyMatch(e -> e.path("type").asText().endsWith(".duplicate")));
        JsonNode duplicate = folders.eventsForRequestIds(id).stream()
                .filter(e -> e.path("type").asText().endsWith(".duplicate")).findFirst().orElseThrow();
        assertEquals(created.path("id").asText(), duplicate.at("/data/previous/id").asText());
        assertEquals(1, ncp.newSnapshotsOf(volume).size());
    }

    @Test
    void theServedDocumentIsTheOneTheRoutesAnswerBy() {
        Response document = given().get("/api/v1/openapi.yaml");
        assertEquals(200, document.statusCode());
        assertTrue(document.asString().contains("submitSnapshotRequests"));
        Set<String> routes = new TreeSet<>();
        for (RestDefinition rest : ((ModelCamelContext) camel).getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                String path = rest.getPath() + (verb.getPath() == null ? "" : verb.getPath());
                routes.add(verb.asVerb().toUpperCase() + " " + path);
            }
        }
        assertEquals(OpenApiDocument.operations(), routes, "the REST DSL's endpoints and the document's");
    }
}
