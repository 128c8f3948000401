package io.github.ncpsnapshotbridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.testsupport.AppProcess;
import io.github.ncpsnapshotbridge.testsupport.BridgeJar;
import io.github.ncpsnapshotbridge.testsupport.DropFolders;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;

/** Two packaged instances on one shared drop folder: each file is read by exactly one of them. */
class FileScaleOutIT {

    @Test
    void twoInstancesOnOneFolderProcessEachFileOnce() throws Exception {
        Path shared = Files.createDirectories(Path.of("target", "test-runs", "scale-" + UUID.randomUUID())).toAbsolutePath();
        DropFolders folders = new DropFolders(shared.resolve("inbox"), shared.resolve("outbox"));
        try (NcpFake ncp = new NcpFake()) {
            BridgeJar jar = BridgeJar.against(ncp, "AKSCALETEST").with("BRIDGE_INBOX_DIR", folders.inbox().toString())
                    .with("BRIDGE_OUTBOX_DIR", folders.outbox().toString()).with("BRIDGE_INBOX_STABLE_FOR", "200ms");
            try (AppProcess a = jar.start(shared.resolve("replica-a"));
                    AppProcess b = jar.start(shared.resolve("replica-b"))) {
                String run = UUID.randomUUID().toString().substring(0, 8);
                for (int f = 0; f < 20; f++) {
                    StringBuilder lines = new StringBuilder();
                    for (int i = 0; i < 3; i++) {
                        lines.append("{\"requestId\":\"scale-").append(run).append('-').append(f).append('-').append(i)
                                .append("\",\"blockStorageInstanceNo\":\"").append(950_000 + f * 3 + i).append("\"}\n");
                    }
                    folders.drop("batch-" + f + ".jsonl", lines.toString());
                }
                await().atMost(Duration.ofSeconds(90)).until(() -> folders.eventsForRequestIds("scale-" + run).size() >= 60);
                Thread.sleep(2000);
                List<JsonNode> events = folders.eventsForRequestIds("scale-" + run);
                Map<String, Long> perRequest = events.stream()
                        .collect(Collectors.groupingBy(e -> e.at("/data/requestId").asText(), Collectors.counting()));
                assertEquals(60, perRequest.size());
                assertTrue(perRequest.values().stream().allMatch(n -> n == 1), "each request reported once: " + perRequest);
                assertTrue(events.stream().allMatch(e -> e.get("type").asText().endsWith(".created")));
                // creates only: a completion poll (10 s after a create) names no volume
                Map<String, Long> createsPerVolume = ncp.calls().stream().filter(NcpFake.Call::isCreate)
                        .collect(Collectors.groupingBy(NcpFake.Call::volume, Collectors.counting()));
                assertTrue(createsPerVolume.values().stream().allMatch(n -> n == 1), "each volume created once");
                for (int f = 0; f < 20; f++) {
                    assertTrue(Files.exists(folders.done("batch-" + f + ".jsonl")));
                }
                assertTrue(a.isAlive() && b.isAlive());
            }
        }
    }
}
