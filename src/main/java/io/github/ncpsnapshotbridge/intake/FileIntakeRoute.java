package io.github.ncpsnapshotbridge.intake;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;

import io.github.ncpsnapshotbridge.idempotency.IdempotencyStore;
import io.github.ncpsnapshotbridge.settings.BridgeConfig;
import io.github.ncpsnapshotbridge.pipeline.WorkerPool;
import io.github.ncpsnapshotbridge.pipeline.SnapshotPipelineRoute;

/**
 * The drop folder: {@code *.json}, {@code *.jsonl} and {@code *.ndjson}, taken in once they have stopped changing
 * (moved into {@code .work/<token>/}), then read from there. Several files, and the requests of each, are worked on at
 * once (within {@code BRIDGE_WORKERS}); a file moves to {@code .done/} or {@code .error/} only after the last of its
 * events is published. If publishing fails, the file stays in {@code .work/} and is read again on a later poll, after
 * a restart too. Several replicas may watch one shared folder: a file lock elects the one that reads it, and another
 * takes over when it goes away.
 */
@ApplicationScoped
public class FileIntakeRoute extends RouteBuilder {

    private final BridgeConfig config;
    private final InboxFiles files;
    private final IdempotencyStore store;

    public FileIntakeRoute(BridgeConfig config, InboxFiles files, IdempotencyStore store) {
        this.config = config;
        this.files = files;
        this.store = store;
    }

    private static boolean leadsTheFolder(FileLockClusterService cluster) {
        try {
            return cluster.getView(LEADERSHIP).getLocalMember().isLeader();
        } catch (Exception e) {
            return false;
        }
    }

    /** Replicas on one folder: only the holder of this namespace's lock reads it. */
    public static final String LEADERSHIP = "bridge-file-intake";

    @Override
    public void configure() throws Exception {
        long stableMs = Math.max(1, config.inbox().stableFor().toMillis());
        // the bridge writes into these; a link planted in their place would redirect its writes
        for (String own : new String[] {InboxFiles.DONE_DIR, InboxFiles.ERROR_DIR, InboxFiles.WORK_DIR, ".cluster"}) {
            if (java.nio.file.Files.isSymbolicLink(config.inboxDir().resolve(own))) {
                throw new IllegalStateException("BRIDGE_INBOX_DIR/" + own + " (" + config.inboxDir().resolve(own)
                        + ") is a symbolic link; the bridge never writes through a link: remove it and start again");
            }
        }
        getContext().getRegistry().bind("regularFilesOnly", new RegularFilesOnly(config.inboxDir()));
        InboxFiles.privateWorkDir(config.inboxDir());
        // Taking a file in: once stable, Camel moves it into a folder of its own under .work/ (a rename: a link moves
        // as a link, and a file dropped again under the same name stays in the inbox as a new file). Names starting
        // with '.' (temp files, .done/, .error/, .work/) are never taken. The folder is a placeholder; durations come
        // from the typed settings (Camel does not read ISO durations)
        String uri = "file:{{bridge.inbox-dir}}?includeExt=" + String.join(",", InboxFiles.EXTENSIONS)
                + "&readLock=changed&readLockMinAge=" + stableMs
                + "&readLockCheckInterval=" + Math.max(50, stableMs / 4)
                + "&readLockTimeout=" + Math.max(10_000, stableMs * 10)
                + "&readLockMinLength=0&readLockMarkerFile=false"
                + "&delay=" + config.inbox().pollInterval().toMillis()
                + "&sortBy=file:modified"
                + "&filter=#regularFilesOnly"
                + "&move=" + InboxFiles.WORK_DIR + "/${exchangeProperty." + InboxFiles.WORK_TOKEN + "}/${file:name}";
        // reading a taken file: only from .work/, which nothing but the bridge writes; InboxFiles reads it through a
        // descriptor that follows no link and moves it out itself (Camel neither moves nor remembers it), so a file
        // whose events could not be published stays and is read again on a later poll
        String work = "file:{{bridge.inbox-dir}}/" + InboxFiles.WORK_DIR
                + "?includeHiddenDirs=true&recursive=true&minDepth=2&maxDepth=2"
                + "&noop=true&idempotent=false&readLock=none"
                + "&delay=" + config.inbox().pollInterval().toMillis()
                + "&sortBy=file:modified"
                + "&filter=#regularFilesOnly";

        // the lock file lives in the shared folder itself (a dot-folder, never read as input), so every replica
        // that sees the folder competes for the same lock
        FileLockClusterService cluster = new FileLockClusterService();
        cluster.setId("file-intake-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        cluster.setRoot(config.inboxDir().resolve(".cluster").toString());
        cluster.setAcquireLockDelay(100, TimeUnit.MILLISECONDS);
        cluster.setAcquireLockInterval(config.inbox().leaderCheckInterval().toMillis(), TimeUnit.MILLISECONDS);
        getContext().addService(cluster);
        // one order for the two locks replicas on shared folders compete for: the folder's, then the file store's
        store.leadOnlyWhile(() -> leadsTheFolder(cluster));

        from(uri).routeId("file-intake").startupOrder(200)
                .routePolicy(ClusteredRoutePolicy.forNamespace(cluster, LEADERSHIP))
                .bean(files, "nameWorkFolder");

        from(work).routeId("file-work").startupOrder(201)
                .routePolicy(ClusteredRoutePolicy.forNamespace(cluster, LEADERSHIP))
                // several files at once: each goes on in a thread of its own and moves when it completes, while the
                // consumer picks up the next; their requests share the workers
                .threads(config.workers(), config.workers(), "file-intake")
                .bean(files, "read")
                .split(body()).stopOnException().parallelProcessing().executorService(WorkerPool.NAME)
                    .to(SnapshotPipelineRoute.PROCESS)
                .end()
                .bean(files, "archive");
    }
}
