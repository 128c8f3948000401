package io.github.ncpsnapshotbridge.ncp;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.jboss.logging.Logger;

import io.github.ncpsnapshotbridge.config.BridgeConfig;
import io.github.ncpsnapshotbridge.events.BridgeEvent;
import io.github.ncpsnapshotbridge.events.EventFactory;
import io.github.ncpsnapshotbridge.idempotency.InFlightCheck;
import io.github.ncpsnapshotbridge.idempotency.RequestRecord;
import io.github.ncpsnapshotbridge.metrics.BridgeMetrics;
import io.github.ncpsnapshotbridge.ncp.model.BlockStorageSnapshot;
import io.github.ncpsnapshotbridge.pipeline.SnapshotRequest;

/**
 * Creates one snapshot at NCP, as reliably as NCP allows, and returns the request's event.
 * <ul>
 * <li>Retryable failures (5xx, "try again later", 429, timeouts, I/O) are retried with backoff up to
 * {@code BRIDGE_RETRY_MAX_ATTEMPTS}, each attempt signed afresh; 4xx refusals never are.</li>
 * <li>After a failure that leaves it unknown whether NCP created the snapshot (no answer in time), the next attempt
 * first looks for it by volume and name, so a retry never makes a second snapshot.</li>
 * <li>While NCP is in an outage, retries go on past the attempt limit until {@code BRIDGE_NCP_OUTAGE_TOLERANCE} has
 * passed since the outage began: the request waits, its intake waits with it, nothing fails.</li>
 * </ul>
 */
@ApplicationScoped
public class NcpCaller {

    private static final Logger LOG = Logger.getLogger(NcpCaller.class);

    private final ProducerTemplate http;
    private final CredentialsStore credentials;
    private final NcpCallFactory calls;
    private final NcpResponseParser parser;
    private final EventFactory events;
    private final NcpGate gate;
    private final RetryPolicy policy;
    private final Duration outageTolerance;
    private final Clock clock;
    private final BridgeMetrics metrics;

    public NcpCaller(ProducerTemplate http, CredentialsStore credentials, NcpCallFactory calls, NcpResponseParser parser,
            EventFactory events, NcpGate gate, BridgeConfig config, Clock clock, BridgeMetrics metrics) {
        this.metrics = metrics;
        this.http = http;
        this.credentials = credentials;
        this.calls = calls;
        this.parser = parser;
        this.events = events;
        this.gate = gate;
        this.policy = new RetryPolicy(config.retry().maxAttempts(), config.retry().initialDelay(), config.retry().maxDelay());
        this.outageTolerance = config.ncp().outageTolerance();
        this.clock = clock;
    }

    public BridgeEvent create(SnapshotRequest request) throws InterruptedException {
        Optional<NcpCredentials> known = credentials.find(request.account());
        if (known.isEmpty()) {
            return unknownAccount(request);
        }
        NcpCredentials account = known.get();
        int attempts = 0;
        // create calls and failed look-ups both use up the retry budget
        int tries = 0;
        NcpError last = null;
        boolean uncertain = false;
        Duration retryAfter = null;
        while (true) {
            if (tries > 0) {
                if (!mayRetry(last, tries)) {
                    return events.failed(request, attempts, last);
                }
                Thread.sleep(policy.delayBefore(tries + 1, retryAfter).toMillis());
                metrics.retried();
                if (uncertain) {
                    Optional<BlockStorageSnapshot> found;
                    try {
                        found = find(request, account);
                    } catch (NcpLookupException e) {
                        LOG.debugf("requestId=%s: look-up before retrying failed (%s)", request.requestId(), e.getMessage());
                        tries++;
                        continue;
                    }
                    if (found.isPresent()) {
                        return events.created(request, attempts, new NcpOutcome.Created(null, "0",
                                "created by an earlier attempt whose answer was lost", found.get()));
                    }
                    uncertain = false;
                }
            }
            attempts++;
            tries++;
            SignedCall call = calls.prepare(NcpCallFactory.CREATE_SNAPSHOT, NcpCallFactory.createSnapshotParameters(
                    request.blockStorageInstanceNo(), snapshotName(request), request.blockStorageSnapshotDescription()),
                    account);
            HttpReply reply;
            try {
                reply = send(call);
            } catch (Exception e) {
                last = errorOf(e);
                // a refused or unresolvable connection never reached NCP; anything else might have
                uncertain = !(rootCause(e) instanceof ConnectException || rootCause(e) instanceof UnknownHostException);
                retryAfter = null;
                gate.failedRetryably();
                LOG.debugf("requestId=%s attempt %d: %s", request.requestId(), attempts, last.returnMessage());
                continue;
            }
            NcpOutcome outcome = parser.parseCreateSnapshot(reply.status(), reply.body());
            if (outcome instanceof NcpOutcome.Created created) {
                gate.succeeded();
                return events.created(request, attempts, created);
            }
            last = ((NcpOutcome.Failed) outcome).error();
            uncertain = last.category() == ErrorCategory.TIMEOUT;
            retryAfter = null;
            if (last.retryable()) {
                gate.failedRetryably();
                if (last.category() == ErrorCategory.THROTTLED) {
                    retryAfter = retryAfter(reply.retryAfter()).orElse(policy.delayBefore(tries + 1, null));
                    gate.throttled(retryAfter);
                }
                LOG.debugf("requestId=%s attempt %d: HTTP %d %s", request.requestId(), attempts, reply.status(),
                        last.category().label());
            } else {
                // NCP answered: it is up, even if it said no
                gate.succeeded();
            }
        }
    }

    /**
     * For a request an earlier run left in flight: the {@code created} event of the snapshot NCP has under its name,
     * or the request itself when there is none (then it may be created now).
     */
    public Object resolveInFlight(InFlightCheck check) throws InterruptedException {
        SnapshotRequest request = check.request();
        Optional<NcpCredentials> known = credentials.find(request.account());
        if (known.isEmpty()) {
            return unknownAccount(request);
        }
        NcpCredentials account = known.get();
        int attempts = 0;
        while (true) {
            attempts++;
            try {
                return find(request, account).<Object>map(s -> events.created(request, 1,
                        new NcpOutcome.Created(null, "0", "found at NCP after a restart", s))).orElse(request);
            } catch (NcpLookupException e) {
                NcpError error = new NcpError(null, null, e.getMessage(), ErrorCategory.SERVER);
                if (!mayRetry(error, attempts)) {
                    throw e;
                }
                Thread.sleep(policy.delayBefore(attempts + 1, null).toMillis());
            }
        }
    }

    /**
     * At start, for a request an earlier run left in flight: its {@code created} event when NCP has the snapshot, so
     * the outcome goes out even before the request is delivered again. Empty when NCP has none (the redelivered
     * request will then create it) or cannot say now.
     */
    public Optional<BridgeEvent> recover(RequestRecord record) throws InterruptedException {
        Optional<NcpCredentials> account = credentials.find(record.account() == null ? "default" : record.account());
        if (account.isEmpty() || record.volume() == null || record.snapshotName() == null) {
            return Optional.empty();
        }
        boolean derivedName = SnapshotNames.isDerived(record.snapshotName(), record.requestId());
        SnapshotRequest request = new SnapshotRequest(record.requestId(), record.requestId().matches("(file|kafka|amqp):.*"),
                record.volume(), derivedName ? null : record.snapshotName(), null, record.account());
        try {
            return find(request, account.get()).map(s -> events.created(request, 1,
                    new NcpOutcome.Created(null, "0", "found at NCP after a restart", s)));
        } catch (NcpLookupException e) {
            LOG.debugf("requestId=%s: recovery look-up failed (%s); it waits for its redelivery", record.requestId(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    private static String snapshotName(SnapshotRequest request) {
        return SnapshotNames.forRequest(request.blockStorageSnapshotName(), request.requestId());
    }

    /** No keys for the request's account: it fails as {@code auth} without any call. */
    private BridgeEvent unknownAccount(SnapshotRequest request) {
        return events.failed(request, 0, new NcpError(null, null, CredentialsStore.unknownAccount(request.account()),
                ErrorCategory.AUTH));
    }

    /** The snapshot of {@code request} at NCP: its volume, under the name the bridge sends for it. */
    private Optional<BlockStorageSnapshot> find(SnapshotRequest request, NcpCredentials account)
            throws InterruptedException {
        String name = snapshotName(request);
        SignedCall call = calls.prepare(NcpCallFactory.LIST_SNAPSHOTS,
                NcpCallFactory.listSnapshotParameters(request.blockStorageInstanceNo()), account);
        HttpReply reply;
        try {
            reply = send(call);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            gate.failedRetryably();
            throw new NcpLookupException("no answer: " + errorOf(e).returnMessage());
        }
        try {
            Optional<BlockStorageSnapshot> found = parser.parseSnapshotList(reply.status(), reply.body()).stream()
                    .filter(s -> name.equals(s.getBlockStorageSnapshotName())
                            && request.blockStorageInstanceNo().equals(s.getOriginalBlockStorageInstanceNo()))
                    .findFirst();
            gate.succeeded();
            return found;
        } catch (NcpLookupException e) {
            gate.failedRetryably();
            throw e;
        }
    }

    private boolean mayRetry(NcpError last, int attempts) {
        if (last == null || !last.retryable()) {
            return false;
        }
        if (attempts < policy.maxAttempts()) {
            return true;
        }
        Instant outageSince = gate.outageSince();
        return outageSince != null && clock.instant().isBefore(outageSince.plus(outageTolerance));
    }

    private HttpReply send(SignedCall call) throws Exception {
        long asked = System.nanoTime();
        gate.acquire();
        long granted = System.nanoTime();
        if (granted - asked > 5_000_000) {
            metrics.waitedForRateLimit(Duration.ofNanos(granted - asked));
        }
        String action = call.rawPathAndQuery().contains(NcpCallFactory.CREATE_SNAPSHOT) ? NcpCallFactory.CREATE_SNAPSHOT
                : NcpCallFactory.LIST_SNAPSHOTS;
        int status = 0;
        try {
            Exchange result = http.send(NcpCallRoute.HTTP, e -> e.getMessage().setBody(call));
            if (result.getException() != null) {
                throw result.getException();
            }
            HttpReply reply = result.getMessage().getBody(HttpReply.class);
            status = reply.status();
            return reply;
        } finally {
            gate.release();
            metrics.ncpCall(action, status, Duration.ofNanos(System.nanoTime() - granted));
        }
    }

    /** Retry-After in seconds (the gateway's form); an HTTP date is not expected from NCP and is ignored. */
    static Optional<Duration> retryAfter(String header) {
        if (header == null) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds >= 0 ? Optional.of(Duration.ofSeconds(Math.min(seconds, 600))) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** The category of a call that got no answer. */
    static NcpError errorOf(Throwable cause) {
        Throwable root = rootCause(cause);
        String what = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        if (root instanceof java.net.SocketTimeoutException || root.getClass().getSimpleName().contains("Timeout")) {
            return new NcpError(null, null, "no answer from NCP in time: " + what, ErrorCategory.TIMEOUT);
        }
        return new NcpError(null, null, "cannot reach NCP: " + what, ErrorCategory.SERVER);
    }
}
