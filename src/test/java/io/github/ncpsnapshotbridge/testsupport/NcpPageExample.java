package io.github.ncpsnapshotbridge.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

/** The {@code snapshot} of an event made from the NCP page's example answer, field by field (contract §3). */
public final class NcpPageExample {

    private NcpPageExample() {
    }

    public static void assertSnapshotOfTheExample(JsonNode s) {
        assertEquals("1089149", s.get("blockStorageSnapshotInstanceNo").asText());
        assertEquals("snap1675890abe3", s.get("blockStorageSnapshotName").asText());
        assertTrue(s.get("blockStorageSnapshotVolumeSize").isNumber());
        assertEquals(53687091200L, s.get("blockStorageSnapshotVolumeSize").asLong());
        assertEquals("937508", s.get("originalBlockStorageInstanceNo").asText());
        assertEquals("s165d2104110", s.get("originalBlockStorageName").asText());
        assertEquals("INIT", s.at("/blockStorageSnapshotInstanceStatus/code").asText());
        assertEquals("Block storage INIT state", s.at("/blockStorageSnapshotInstanceStatus/codeName").asText());
        assertEquals("NULL", s.at("/blockStorageSnapshotInstanceOperation/code").asText());
        assertEquals("Block Storage NULLOP", s.at("/blockStorageSnapshotInstanceOperation/codeName").asText());
        assertEquals("initialized", s.get("blockStorageSnapshotInstanceStatusName").asText());
        assertEquals("2018-11-28T13:25:35+09:00", s.get("createDate").asText());
        assertEquals("", s.get("blockStorageSnapshotInstanceDescription").asText());
        assertEquals("SPSW0LINUX000044", s.get("serverImageProductCode").asText());
        assertEquals("CentOS 6.6(64bit)", s.get("osInformation").asText());
        assertEquals(12, s.size(), "no field more, no field less");
    }
}
