package io.github.ncpsnapshotbridge.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.ncp.SnapshotMarker;
import io.github.ncpsnapshotbridge.testsupport.DropFolderResource;
import io.github.ncpsnapshotbridge.testsupport.Requests;
import io.github.ncpsnapshotbridge.testsupport.DropFolders;
import io.github.ncpsnapshotbridge.testsupport.InjectDropFolders;
import io.github.ncpsnapshotbridge.testsupport.InjectNcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;
import io.github.ncpsnapshotbridge.testsupport.NcpFake.Reply;
import io.github.ncpsnapshotbridge.testsupport.NcpFakeResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Requests dropped in the inbox, through the real routes and HTTP client, to the signature-checking NCP fake. */
@QuarkusTest
@QuarkusTestResource(NcpFakeResource.class)
@QuarkusTestResource(DropFolderResource.class)
class PipelineEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @InjectNcpFake
    NcpFake ncp;

    @InjectDropFolders
    DropFolders folders;

    private JsonNode onlyEventOf(String requestId) {
        await().atMost(WAIT).until(() -> folders.eventsForRequestIds(requestId).size() == 1);
        List<JsonNode> events = folders.eventsForRequestIds(requestId);
        assertEquals(1, events.size());
        return events.get(0);
    }

    private JsonNode send(String requestId, String volume, String extraFields) {
        folders.drop(requestId + ".json", "{\"requestId\":\"" + requestId + "\",\"blockStorageInstanceNo\":\"" + volume
                + "\"" + extraFields + "}");
        return onlyEventOf(requestId);
    }

    @Test
    void aSignedCallBecomesACreatedEventWithEverySnapshotField() {
        String volume = NcpFake.randomVolume();
        String requestId = "e2e-" + UUID.randomUUID();
        long before = System.currentTimeMillis();
        JsonNode event = send(requestId, volume,
                ",\"blockStorageSnapshotName\":\"db01 nightly/한\",\"blockStorageSnapshotDescription\":\"a&b=c+d, 50% full\"");

        List<NcpFake.Call> calls = ncp.callsFor(volume);
        assertEquals(1, calls.size());
        NcpFake.Call call = calls.get(0);
        assertTrue(call.signatureValid(), "the fake verified the v2 signature over the bytes it received");
        assertEquals("GET", call.method());
        assertEquals("/server/v2/createBlockStorageSnapshotInstance?blockStorageInstanceNo=" + volume
                + "&blockStorageSnapshotName=db01%20nightly%2F%ED%95%9C"
                + "&blockStorageSnapshotDescription=a%26b%3Dc%2Bd%2C%2050%25%20full%20"
                + SnapshotMarker.of(requestId).replace("[", "%5B").replace(":", "%3A").replace("]", "%5D"), call.rawTarget(),
                "the user's description, then the request's marker");
        assertEquals(NcpFakeResource.DEFAULT_ACCESS_KEY, call.headers().get("x-ncp-iam-access-key"));
        long ts = Long.parseLong(call.headers().get("x-ncp-apigw-timestamp"));
        assertTrue(ts >= before && ts <= System.currentTimeMillis(), "timestamp taken at sending time");

        assertEquals("ncp.blockstorage.snapshot.created", event.get("type").asText());
        assertEquals("1.0", event.get("specversion").asText());
        assertEquals("ncp-snapshot-bridge", event.get("source").asText());
        assertEquals(volume, event.get("subject").asText());
        Instant.parse(event.get("time").asText());
        JsonNode data = event.get("data");
        assertEquals(requestId, data.get("requestId").asText());
        assertEquals(1, data.get("attempts").asInt());
        assertEquals("0", data.at("/ncp/returnCode").asText());
        JsonNode snapshot = data.get("snapshot");
        assertEquals(volume, snapshot.get("originalBlockStorageInstanceNo").asText());
        assertEquals("db01 nightly/한", snapshot.get("blockStorageSnapshotName").asText());
        assertEquals("a&b=c+d, 50% full " + SnapshotMarker.of(requestId), snapshot.get("blockStorageSnapshotInstanceDescription").asText(),
                "NCP keeps the description with the marker; the event shows it as NCP holds it");
        assertEquals(53687091200L, snapshot.get("blockStorageSnapshotVolumeSize").asLong());
        assertEquals("2018-11-28T13:25:35+09:00", snapshot.get("createDate").asText());
        assertEquals("INIT", snapshot.at("/blockStorageSnapshotInstanceStatus/code").asText());
        assertEquals(12, snapshot.size());
        assertTrue(Files.exists(folders.outbox().resolve(event.get("id").asText() + ".json")),
                "the file is named after the event id");
    }

    @Test
    void ncpRefusalsBecomeFailedEventsWithTheirCategory() throws IOException {
        String prefix = "e2e-fail-" + UUID.randomUUID();
        String client = NcpFake.randomVolume();
        String auth = NcpFake.randomVolume();
        String busy = NcpFake.randomVolume();
        String garbage = NcpFake.randomVolume();
        String doctype = NcpFake.randomVolume();
        ncp.script(client, Reply.xml(400, "<responseError><returnCode>24</returnCode>"
                + "<returnMessage>blockStorageInstanceNo : not found</returnMessage></responseError>"));
        ncp.script(auth, Reply.json(401, "{\"error\":{\"errorCode\":\"200\",\"message\":\"Authentication Failed\"}}"));
        ncp.script(busy, Reply.json(500, "{\"responseError\":{\"returnCode\":\"1000\",\"returnMessage\":\"try again later\"}}"));
        ncp.script(garbage, Reply.xml(200, "this is not xml"));
        ncp.script(doctype, Reply.xml(200, "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>"
                + NcpFake.exampleAnswer().replace("<returnMessage>success", "<returnMessage>&x;")).notMade());

        assertFailure(send(prefix + "-client", client, ""), 400, "24", "client", false);
        assertFailure(send(prefix + "-auth", auth, ""), 401, "200", "auth", false);
        JsonNode retried = send(prefix + "-busy", busy, "");
        assertEquals("ncp.blockstorage.snapshot.created", retried.get("type").asText(), "try again later: retried");
        assertEquals(2, retried.at("/data/attempts").asInt());
        JsonNode malformed = send(prefix + "-garbage", garbage, "");
        assertFailure(malformed, 200, null, "malformed-response", false);
        assertTrue(!malformed.at("/data/error/returnMessage").asText().contains("Exception"), "no stack trace");
        assertFailure(send(prefix + "-doctype", doctype, ""), 200, null, "malformed-response", false);
        for (String volume : List.of(client, auth, garbage, doctype)) {
            assertEquals(1, ncp.callsFor(volume).size(), "a refusal is never retried");
        }
        assertEquals(2, ncp.callsFor(busy).size());
    }

    @Test
    void anUnknownAccountFailsAsAuthWithoutCallingNcp() {
        String volume = NcpFake.randomVolume();
        JsonNode event = send("e2e-" + UUID.randomUUID(), volume, ",\"account\":\"nobody\"");
        assertFailure(event, null, null, "auth", false);
        assertTrue(event.at("/data/error/returnMessage").asText().contains("nobody"));
        assertEquals(0, event.at("/data/attempts").asInt());
        assertEquals(0, ncp.callsFor(volume).size());
    }

    @Test
    void aSecondAccountSignsWithItsOwnKeysAndRotatedKeysAreUsedWithoutRestart() throws IOException {
        String volume = NcpFake.randomVolume();
        JsonNode first = send("e2e-" + UUID.randomUUID(), volume, ",\"account\":\"team-b\"");
        assertEquals("ncp.blockstorage.snapshot.created", first.get("type").asText());
        assertEquals(NcpFakeResource.TEAM_B_ACCESS_KEY, ncp.callsFor(volume).get(0).headers().get("x-ncp-iam-access-key"));

        String rotatedAccess = "AKTESTTEAMBROTATED";
        String rotatedSecret = "sk-rotated-" + UUID.randomUUID();
        ncp.account(rotatedAccess, rotatedSecret);
        NcpFakeResource.writeAccount(ncp.credentialsDir(), "team-b", rotatedAccess, rotatedSecret);
        String second = NcpFake.randomVolume();
        JsonNode again = send("e2e-" + UUID.randomUUID(), second, ",\"account\":\"team-b\"");
        assertEquals("ncp.blockstorage.snapshot.created", again.get("type").asText());
        assertEquals(rotatedAccess, ncp.callsFor(second).get(0).headers().get("x-ncp-iam-access-key"));
        assertTrue(ncp.callsFor(second).get(0).signatureValid());
    }


    @Test
    void aRepeatedRequestIdGivesADuplicateEventAndNoSecondCall() {
        String volume = NcpFake.randomVolume();
        String requestId = "e2e-dup-" + UUID.randomUUID();
        folders.drop(requestId + "-first.json", Requests.of(requestId, volume).json());
        await().atMost(WAIT).until(() -> folders.eventsForRequestIds(requestId).size() == 1);
        folders.drop(requestId + "-again.json", Requests.of(requestId, volume).json());
        await().atMost(WAIT).until(() -> folders.eventsForRequestIds(requestId).size() == 2);
        List<String> types = folders.eventsForRequestIds(requestId).stream().map(e -> e.get("type").asText()).sorted().toList();
        assertEquals(List.of("ncp.blockstorage.snapshot.created", "ncp.blockstorage.snapshot.duplicate"), types);
        assertEquals(1, ncp.callsFor(volume).size());
    }

    @Test
    void aRequestWithoutANameGetsOneDerivedFromItsRequestId() {
        String volume = NcpFake.randomVolume();
        String requestId = "e2e-noname-" + UUID.randomUUID();
        JsonNode event = send(requestId, volume, "");
        String name = ncp.callsFor(volume).get(0).params().get("blockStorageSnapshotName");
        assertTrue(name.matches("snap-[0-9a-f]{24}"), name);
        assertEquals(name, event.at("/data/snapshot/blockStorageSnapshotName").asText());
    }

    @Test
    void moreCopiesOfOneRequestThanWorkersMakeOneSnapshotAndTheFileFinishes() {
        // more copies than workers: each copy waits for the first, and must not hold a worker the first needs to go on
        String volume = NcpFake.randomVolume();
        String requestId = "e2e-copies-" + UUID.randomUUID();
        String line = Requests.of(requestId, volume).json() + "\n";
        String name = requestId + ".jsonl";
        folders.drop(name, line.repeat(20));
        await().atMost(WAIT).until(() -> Files.exists(folders.done(name)));
        assertEquals(1, ncp.newSnapshotsOf(volume).size(), "one snapshot for twenty copies");
        assertTrue(folders.eventsForRequestIds(requestId).stream()
                .anyMatch(e -> e.get("type").asText().endsWith(".created")));
        assertTrue(folders.eventsForRequestIds(requestId).stream()
                .anyMatch(e -> e.get("type").asText().endsWith(".duplicate")));
    }

    private static void assertFailure(JsonNode event, Integer status, String returnCode, String category, boolean retryable) {
        assertEquals("ncp.blockstorage.snapshot.failed", event.get("type").asText(), event.toString());
        JsonNode error = event.at("/data/error");
        if (status == null) {
            assertTrue(error.get("httpStatus").isNull(), error.toString());
        } else {
            assertEquals(status.intValue(), error.get("httpStatus").asInt(), error.toString());
        }
        if (returnCode == null) {
            assertTrue(error.get("returnCode").isNull(), error.toString());
        } else {
            assertEquals(returnCode, error.get("returnCode").asText());
        }
        assertEquals(category, error.get("category").asText(), error.toString());
        assertEquals(retryable, error.get("retryable").asBoolean());
        assertTrue(error.get("returnMessage").isTextual() && !error.get("returnMessage").asText().isBlank());
    }
}
