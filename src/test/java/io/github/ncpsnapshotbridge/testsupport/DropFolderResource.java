package io.github.ncpsnapshotbridge.testsupport;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Gives each bridge run fresh inbox, outbox and idempotency folders under {@code target/test-runs}. */
public class DropFolderResource implements QuarkusTestResourceLifecycleManager {

    private DropFolders folders;

    @Override
    public Map<String, String> start() {
        Path root = Path.of("target", "test-runs", "run-" + UUID.randomUUID()).toAbsolutePath();
        folders = new DropFolders(root.resolve("inbox"), root.resolve("outbox"));
        return Map.of("bridge.inbox-dir", folders.inbox().toString(), "bridge.outbox-dir", folders.outbox().toString(),
                "bridge.idempotency.dir", root.resolve("idempotency").toString());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(folders,
                new TestInjector.AnnotatedAndMatchesType(InjectDropFolders.class, DropFolders.class));
    }

    @Override
    public void stop() {
        // the folders stay under target/ for inspection; nothing in them is deleted
    }
}
