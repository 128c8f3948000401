package io.github.ncpsnapshotbridge.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.Exchange;
import org.jboss.logging.Logger;

import io.github.ncpsnapshotbridge.settings.BridgeConfig;
import io.github.ncpsnapshotbridge.idempotency.IdempotencyStore;
import io.github.ncpsnapshotbridge.idempotency.RecordedOutcome;
import io.github.ncpsnapshotbridge.idempotency.RequestRecord;
import io.github.ncpsnapshotbridge.metrics.BridgeMetrics;
import io.github.ncpsnapshotbridge.ncp.CredentialsStore;
import io.github.ncpsnapshotbridge.ncp.NcpCredentials;
import io.github.ncpsnapshotbridge.ncp.NcpLookupException;
import io.github.ncpsnapshotbridge.ncp.NcpSnapshot;
import io.github.ncpsnapshotbridge.ncp.SnapshotStatuses;

/**
 * Follows every created snapshot until it is usable, and decides its one completion event:
 * <ul>
 * <li>{@code CREAT}: {@code completed}, with the snapshot as NCP lists it;</li>
 * <li>{@code TERMT} or {@code NAVAI}: {@code unavailable};</li>
 * <li>not listed, once NCP's list has had the settle time to show it (lists lag behind a create): {@code unavailable};</li>
 * <li>not usable within the timeout: {@code unavailable};</li>
 * <li>anything else ({@code INIT}): asked again at the next poll.</li>
 * </ul>
 * The tracked set lives in the idempotency store, so it survives restarts and is shared by replicas; only the replica
 * that {@linkplain IdempotencyStore#tryToLead() leads} polls. A snapshot stays tracked until its event is published
 * ({@link #reported}), so a crash in between publishes the same event (same id) again, never none.
 */
@ApplicationScoped
public class CompletionTracker {

    private static final Logger LOG = Logger.getLogger(CompletionTracker.class);

    private final IdempotencyStore store;
    private final SnapshotStatuses statuses;
    private final CredentialsStore credentials;
    private final EventFactory events;
    private final Clock clock;
    private final BridgeMetrics metrics;
    private final Duration timeout;
    private final Duration settle;

    @jakarta.inject.Inject
    public CompletionTracker(IdempotencyStore store, SnapshotStatuses statuses, CredentialsStore credentials,
            EventFactory events, Clock clock, BridgeMetrics metrics, BridgeConfig config) {
        this(store, statuses, credentials, events, clock, metrics, config.completion().timeout(),
                config.ncp().lookupSettle());
    }

    CompletionTracker(IdempotencyStore store, SnapshotStatuses statuses, CredentialsStore credentials,
            EventFactory events, Clock clock, BridgeMetrics metrics, Duration timeout, Duration settle) {
        this.store = store;
        this.statuses = statuses;
        this.credentials = credentials;
        this.events = events;
        this.clock = clock;
        this.metrics = metrics;
        this.timeout = timeout;
        this.settle = settle;
    }

    /** Whether this replica is the one that polls now; it may become it by asking (see the store). */
    public boolean tryToLead() {
        return store.tryToLead();
    }

    /** One round: the status of every tracked snapshot, one call per account, platform and region (per 100). */
    public List<BridgeEvent> poll() throws InterruptedException {
        Map<TrackedSnapshot.Group, List<TrackedSnapshot>> groups = new LinkedHashMap<>();
        int count = 0;
        for (RequestRecord record : store.tracked()) {
            try {
                TrackedSnapshot tracked = TrackedSnapshot.fromJson(record.requestId(), record.tracking());
                groups.computeIfAbsent(tracked.group(), g -> new ArrayList<>()).add(tracked);
                count++;
            } catch (IllegalArgumentException e) {
                LOG.warnf("requestId=%s: %s; no longer tracked", record.requestId(), e.getMessage());
                store.untrack(record.requestId());
            }
        }
        metrics.completionPoll(count);
        List<BridgeEvent> decided = new ArrayList<>();
        for (Map.Entry<TrackedSnapshot.Group, List<TrackedSnapshot>> group : groups.entrySet()) {
            decided.addAll(poll(group.getKey(), group.getValue()));
        }
        return decided;
    }

    private List<BridgeEvent> poll(TrackedSnapshot.Group group, List<TrackedSnapshot> tracked)
            throws InterruptedException {
        Instant now = clock.instant();
        Optional<NcpCredentials> account = credentials.find(group.account());
        Map<String, NcpSnapshot> seen;
        if (account.isEmpty()) {
            seen = null;
        } else {
            try {
                seen = statuses.of(group.platform(), group.regionCode(),
                        tracked.stream().map(TrackedSnapshot::snapshotNo).toList(), account.get());
            } catch (NcpLookupException e) {
                LOG.warnf("Cannot ask NCP about %d %s snapshots of account '%s' (%s); asking again at the next poll",
                        tracked.size(), group.platform().label(), group.account(), e.getMessage());
                seen = null;
            }
        }
        List<BridgeEvent> decided = new ArrayList<>();
        for (TrackedSnapshot t : tracked) {
            NcpSnapshot snapshot = seen == null ? null : seen.get(t.snapshotNo());
            BridgeEvent event = decide(t, snapshot, seen != null, now);
            if (event != null) {
                decided.add(event);
            }
        }
        return decided;
    }

    /** The completion event of one tracked snapshot, or null while it is still on its way. */
    BridgeEvent decide(TrackedSnapshot t, NcpSnapshot snapshot, boolean asked, Instant now) {
        if (snapshot != null) {
            String status = snapshot.statusCode();
            if ("CREAT".equals(status)) {
                return events.completed(t.requestId(), t.volume(), t.platform(), snapshot);
            }
            if ("TERMT".equals(status) || "NAVAI".equals(status)) {
                return events.unavailable(t.requestId(), t.volume(), t.platform(),
                        "NCP reports the snapshot " + status, EventFactory.snapshot(snapshot));
            }
        } else if (asked && !now.isBefore(t.since().plus(settle))) {
            return events.unavailable(t.requestId(), t.volume(), t.platform(),
                    "NCP no longer lists snapshot " + t.snapshotNo(), t.snapshot());
        }
        if (!now.isBefore(t.since().plus(timeout))) {
            String last = snapshot == null ? "unknown" : snapshot.statusCode();
            return events.unavailable(t.requestId(), t.volume(), t.platform(), "not usable within "
                    + timeout + " of its creation (last status " + last + ")",
                    snapshot == null ? t.snapshot() : EventFactory.snapshot(snapshot));
        }
        return null;
    }

    /** After a completion event is published: the snapshot is no longer tracked. */
    public void reported(Exchange exchange) {
        BridgeEvent event = exchange.getProperty(BridgeEvent.PROPERTY, BridgeEvent.class);
        if (event != null && (event.type() == EventType.COMPLETED || event.type() == EventType.UNAVAILABLE)) {
            RecordedOutcome was = store.find(event.requestId()).map(r -> RecordedOutcome.parse(r.outcome())).orElse(null);
            store.untrack(event.requestId(), was == null ? null : RecordedOutcomes.completed(was, event).toJson());
        }
    }
}
