package io.github.ncpsnapshotbridge.intake;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;

import io.github.ncpsnapshotbridge.settings.BridgeConfig;
import io.github.ncpsnapshotbridge.pipeline.WorkerPool;
import io.github.ncpsnapshotbridge.pipeline.SnapshotPipelineRoute;

/**
 * The drop folder: {@code *.json}, {@code *.jsonl} and {@code *.ndjson}, read once they have stopped changing. Several
 * files, and the requests of each, are worked on at once (within {@code BRIDGE_WORKERS}); a file moves only after the
 * last of its events is published. If publishing
 * fails, the file stays where it is and is read again on a later poll. Several replicas may watch one shared folder:
 * a file lock elects the one that reads it, and another takes over when it goes away.
 */
@ApplicationScoped
public class FileIntakeRoute extends RouteBuilder {

    private final BridgeConfig config;
    private final InboxFiles files;

    public FileIntakeRoute(BridgeConfig config, InboxFiles files) {
        this.config = config;
        this.files = files;
    }

    /** Replicas on one folder: only the holder of this namespace's lock reads it. */
    public static final String LEADERSHIP = "bridge-file-intake";

    @Override
    public void configure() throws Exception {
        long stableMs = Math.max(1, config.inbox().stableFor().toMillis());
        // the bridge writes into these; a link planted in their place would redirect its writes
        for (String own : new String[] {InboxFiles.DONE_DIR, InboxFiles.ERROR_DIR, ".cluster"}) {
            if (java.nio.file.Files.isSymbolicLink(config.inboxDir().resolve(own))) {
                throw new IllegalStateException("BRIDGE_INBOX_DIR/" + own + " (" + config.inboxDir().resolve(own)
                        + ") is a symbolic link; the bridge never writes through a link: remove it and start again");
            }
        }
        getContext().getRegistry().bind("regularFilesOnly", new RegularFilesOnly(config.inboxDir()));
        // names starting with '.' (temp files, .done/, .error/) are never picked up by the file consumer
        // the folder as a placeholder; durations from the typed settings (Camel does not read ISO durations)
        String uri = "file:{{bridge.inbox-dir}}?includeExt=json,jsonl,ndjson"
                + "&readLock=changed&readLockMinAge=" + stableMs
                + "&readLockCheckInterval=" + Math.max(50, stableMs / 4)
                + "&readLockTimeout=" + Math.max(10_000, stableMs * 10)
                + "&readLockMinLength=0&readLockMarkerFile=false"
                + "&delay=" + config.inbox().pollInterval().toMillis()
                + "&sortBy=file:modified"
                + "&filter=#regularFilesOnly"
                + "&move=${exchangeProperty." + InboxFiles.ARCHIVE_AS + "}";

        // the lock file lives in the shared folder itself (a dot-folder, never read as input), so every replica
        // that sees the folder competes for the same lock
        FileLockClusterService cluster = new FileLockClusterService();
        cluster.setId("file-intake-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        cluster.setRoot(config.inboxDir().resolve(".cluster").toString());
        cluster.setAcquireLockDelay(100, TimeUnit.MILLISECONDS);
        cluster.setAcquireLockInterval(config.inbox().leaderCheckInterval().toMillis(), TimeUnit.MILLISECONDS);
        getContext().addService(cluster);

        from(uri).routeId("file-intake").startupOrder(200)
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
