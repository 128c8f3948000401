package io.github.ncpsnapshotbridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.testsupport.AppProcess;
import io.github.ncpsnapshotbridge.testsupport.BridgeJar;
import io.github.ncpsnapshotbridge.testsupport.ContainerImage;
import io.github.ncpsnapshotbridge.testsupport.DropFolders;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;
import io.github.ncpsnapshotbridge.testsupport.Requests;

/**
 * The container image's start-up path: on the image's Java release, the training run of {@code aot-training.sh} writes
 * an AOT cache that the packaged bridge then starts from ({@code -XX:AOTMode=on}: the JVM refuses to start if the
 * cache does not fit), and the bridge so started takes a request end to end. Skipped, saying so, where no JDK of that
 * release is installed.
 */
class AotCacheIT {

    @Test
    void theTrainingRunWritesACacheTheBridgeStartsFromAndWorksWith() throws Exception {
        Optional<Path> jdk = ContainerImage.jdk();
        assumeTrue(jdk.isPresent(), "no JDK " + ContainerImage.JAVA_RELEASE + " or later beside "
                + System.getProperty("java.home") + "; name one with -Daot.javaHome=...");
        Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-runs")), "aot-")
                .toAbsolutePath();
        Path cache = work.resolve("app.aot");

        List<String> training = new ArrayList<>(List.of(ContainerImage.AOT_TRAINING.toAbsolutePath().toString(),
                jdk.get().resolve("bin").resolve("java").toString()));
        training.addAll(ContainerImage.jvmOptions());
        training.addAll(List.of("-XX:AOTCacheOutput=" + cache, "-jar", AppProcess.JAR.toAbsolutePath().toString()));
        Process run = new ProcessBuilder(training).redirectErrorStream(true)
                .redirectOutput(work.resolve("training.out").toFile()).start();
        assertTrue(run.waitFor(120, TimeUnit.SECONDS), "the training run did not end");
        String said = Files.readString(work.resolve("training.out"));
        assertEquals(0, run.exitValue(), said);
        assertTrue(Files.size(cache) > 0, said);

        Path inbox = Files.createDirectories(work.resolve("data/inbox"));
        DropFolders folders = new DropFolders(inbox, work.resolve("data/outbox"));
        List<String> options = new ArrayList<>(ContainerImage.jvmOptions());
        options.addAll(List.of("-XX:AOTMode=on", "-XX:AOTCache=" + cache));
        try (NcpFake ncp = new NcpFake();
                AppProcess app = BridgeJar.against(ncp, "AKAOT").with("BRIDGE_INBOX_STABLE_FOR", "200ms")
                        .start(work, jdk.get(), options)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> app.httpPort().isPresent() || !app.isAlive());
            assertTrue(app.isAlive(), "the bridge did not start from the cache:\n" + app.output());

            folders.drop("aot.json", Requests.of("aot-1", "4242").json());
            await().atMost(Duration.ofSeconds(30)).until(() -> folders.eventsForRequestIds("aot-1").size() == 1);
            JsonNode event = folders.eventsForRequestIds("aot-1").get(0);
            assertEquals("ncp.blockstorage.snapshot.created", event.get("type").asText(), event.toString());
            assertEquals(1, ncp.snapshotsOf("4242").size(), "one snapshot made for the request");
        }
    }
}
