package io.github.ncpsnapshotbridge.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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

/** VPC requests through the real routes to the NCP fake's VPC API ({@code /vserver/v2}). */
@QuarkusTest
@QuarkusTestResource(NcpFakeResource.class)
@QuarkusTestResource(DropFolderResource.class)
class VpcRequestTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @InjectNcpFake
    NcpFake ncp;

    @InjectDropFolders
    DropFolders folders;

    private JsonNode send(String requestId, String json) {
        folders.drop(requestId + ".json", json);
        await().atMost(WAIT).until(() -> folders.eventsForRequestIds(requestId).size() == 1);
        return folders.eventsForRequestIds(requestId).get(0);
    }

    @Test
    void aVpcRequestCallsTheVpcApiSignedWithItsOwnParametersAndReportsTheVpcSnapshot() {
        String volume = NcpFake.randomVolume();
        String requestId = "vpc-" + UUID.randomUUID();
        JsonNode event = send(requestId, Requests.of(requestId, volume).with("platform", "vpc")
                .with("blockStorageSnapshotName", "db01_nightly-1").with("regionCode", "JPN")
                .with("snapshotTypeCode", "INCREMENTAL").json());

        List<NcpFake.Call> calls = ncp.callsFor(volume);
        assertEquals(1, calls.size());
        NcpFake.Call call = calls.get(0);
        assertTrue(call.signatureValid(), "signed over the VPC path and query as sent");
        assertTrue(call.vpc(), call.rawTarget());
        assertEquals("/vserver/v2/createBlockStorageSnapshotInstance?regionCode=JPN&originalBlockStorageInstanceNo="
                + volume + "&blockStorageSnapshotName=db01_nightly-1&blockStorageSnapshotDescription="
                + SnapshotMarker.of(requestId).replace("[", "%5B").replace(":", "%3A").replace("]", "%5D")
                + "&snapshotTypeCode=INCREMENTAL", call.rawTarget());

        assertEquals("ncp.blockstorage.snapshot.created", event.get("type").asText());
        JsonNode data = event.get("data");
        assertEquals("vpc", data.get("platform").asText());
        assertEquals("JPN", data.at("/request/regionCode").asText());
        JsonNode snapshot = data.get("snapshot");
        assertEquals(ncp.newSnapshotsOf(volume).get(0).number(), snapshot.get("blockStorageSnapshotInstanceNo").asText());
        assertEquals(volume, snapshot.get("originalBlockStorageInstanceNo").asText());
        assertEquals("INCREMENTAL", snapshot.at("/snapshotType/code").asText());
        assertEquals(2, snapshot.get("snapshotChainDepth").asInt());
        assertEquals("KVM", snapshot.at("/hypervisorType/code").asText());
        assertEquals("CB1", snapshot.at("/blockStorageVolumeType/code").asText());
        assertTrue(snapshot.get("blockStorageSnapshotDescription").asText().contains(SnapshotMarker.of(requestId)));
        assertEquals("2026-11-27T19:15:30+09:00", snapshot.get("createDate").asText());
        assertTrue(snapshot.get("blockStorageSnapshotVolumeSize").isNumber());
        assertTrue(snapshot.path("futureField").isMissingNode(), "what NCP adds later is ignored");
    }

    @Test
    void anAccountWhosePlatformFileSaysVpcUsesTheVpcApiWithTheDefaultRegionAndAFullSnapshot() {
        String volume = NcpFake.randomVolume();
        String requestId = "vpc-account-" + UUID.randomUUID();
        JsonNode event = send(requestId, Requests.of(requestId, volume).with("account", "team-vpc").json());
        NcpFake.Call call = ncp.callsFor(volume).get(0);
        assertTrue(call.vpc(), call.rawTarget());
        assertEquals(NcpFakeResource.TEAM_VPC_ACCESS_KEY, call.headers().get("x-ncp-iam-access-key"));
        assertEquals("KR", call.params().get("regionCode"));
        assertEquals("FULL", call.params().get("snapshotTypeCode"));
        assertEquals("vpc", event.at("/data/platform").asText());
        assertEquals("created", event.get("type").asText().replace("ncp.blockstorage.snapshot.", ""));
    }

    @Test
    void badVpcNamesAndTypesAreRejectedWithoutACall() {
        String volume = NcpFake.randomVolume();
        String id = "vpc-bad-" + UUID.randomUUID();
        folders.drop(id + ".jsonl", "{\"requestId\":\"" + id + "-name\",\"blockStorageInstanceNo\":\"" + volume
                + "\",\"platform\":\"vpc\",\"blockStorageSnapshotName\":\"9lives\"}\n"
                + "{\"requestId\":\"" + id + "-type\",\"blockStorageInstanceNo\":\"" + volume
                + "\",\"platform\":\"vpc\",\"snapshotTypeCode\":\"DIFFERENTIAL\"}\n");
        await().atMost(WAIT).until(() -> folders.eventsForRequestIds(id).size() == 2);
        for (JsonNode event : folders.eventsForRequestIds(id)) {
            assertEquals("ncp.blockstorage.snapshot.rejected", event.get("type").asText());
            String field = event.at("/data/errors/0/field").asText();
            assertTrue(field.equals(event.at("/data/requestId").asText().endsWith("-name") ? "blockStorageSnapshotName"
                    : "snapshotTypeCode"), event.toString());
        }
        assertEquals(List.of(), ncp.callsFor(volume), "no call for a rejected request");
    }

    @Test
    void aVpcAnswerLostAfterNcpActedIsFoundByItsMarkerNotCreatedAgain() {
        String volume = NcpFake.randomVolume();
        ncp.seedSnapshot(volume, "db01-nightly", "last night's");
        ncp.script(volume, Reply.json(502, "{}").butMade());
        String requestId = "vpc-lost-" + UUID.randomUUID();
        JsonNode event = send(requestId, Requests.of(requestId, volume).with("platform", "vpc")
                .with("blockStorageSnapshotName", "db01-nightly").json());
        assertEquals("ncp.blockstorage.snapshot.created", event.get("type").asText());
        List<NcpFake.Snapshot> made = ncp.newSnapshotsOf(volume);
        assertEquals(1, made.size(), "exactly one snapshot at NCP");
        assertEquals(made.get(0).number(), event.at("/data/snapshot/blockStorageSnapshotInstanceNo").asText());
        assertEquals(1, ncp.callsFor(volume).size(), "found by the VPC look-up, not created a second time");
        assertTrue(ncp.calls().stream().anyMatch(c -> c.vpc() && c.rawTarget().contains("getBlockStorageSnapshotInstanceList")
                && volume.equals(c.params().get("originalBlockStorageInstanceNoList.1"))), "looked up on the VPC API");
    }
}
