package io.github.ncpsnapshotbridge.settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The bridge's own settings; each maps to an environment variable ({@code bridge.inbox-dir} = {@code BRIDGE_INBOX_DIR}). */
@ConfigMapping(prefix = "bridge")
public interface BridgeConfig {

    /** The watched drop folder. */
    @WithDefault("data/inbox")
    Path inboxDir();

    /** Where the {@code file} sink writes one {@code <event id>.json} per event. */
    @WithDefault("data/outbox")
    Path outboxDir();

    /** More accounts: {@code <dir>/<alias>/access-key} and {@code <dir>/<alias>/secret-key}. */
    Optional<Path> credentialsDir();

    /** {@code file}, {@code kafka} or {@code amqp}; unset means {@code kafka} when Kafka is configured, else {@code file}. */
    Optional<EventsSink> eventsSink();

    /** The CloudEvents {@code source} attribute. */
    @WithDefault("ncp-snapshot-bridge")
    String eventSource();

    Inbox inbox();

    /**
     * Requests worked on at once (validated, claimed, sent to NCP), all intakes together; a Kafka request whose event
     * is on its way to the broker holds no worker.
     */
    @WithDefault("4")
    int workers();

    Ncp ncp();

    NcpSimulator ncpSimulator();

    Kafka kafka();

    Publish publish();

    Amqp amqp();

    Idempotency idempotency();

    Completion completion();

    Http http();

    /** The HTTP API (docs/http-api.md): off unless enabled. */
    interface Http {

        /** Whether {@code /api/v1/snapshot-requests} takes requests and answers status queries. */
        @WithDefault("false")
        boolean enabled();

        /** The bearer tokens the API accepts, one per line (a mounted Secret); re-read when it changes. */
        Optional<Path> tokensFile();
    }

    /** Following created snapshots until they are usable. */
    interface Completion {
        /** {@code false}: no completion events, no status polls. */
        @WithDefault("true")
        boolean enabled();

        /** How often the status of every tracked snapshot is asked, in batches. */
        @WithDefault("10s")
        Duration pollInterval();

        /** A snapshot not usable this long after it was created is reported {@code unavailable}. */
        @WithDefault("1h")
        Duration timeout();
    }

    interface Idempotency {
        /** Where the file-backed store keeps its journal; must survive restarts (a volume in Kubernetes). */
        @WithDefault("data/idempotency")
        Path dir();

        /** How long a requestId is remembered. */
        @WithDefault("7d")
        Duration retention();

        /** {@code file} (one instance) or {@code kafka} (replicas sharing a compacted topic). */
        @WithDefault("file")
        String store();

        /** How long an in-flight claim stays its owner's without being renewed; the owner renews it while it works. */
        @WithDefault("30s")
        Duration lease();

        /** Pause before a request that cannot be finished now (in progress elsewhere, NCP unreachable) is tried again. */
        @WithDefault("1s")
        Duration retryInterval();

        /** This instance's name as the owner of claims; unset: the host name and a random suffix, new at every start. */
        Optional<String> instanceId();

        /** The compacted topic of the {@code kafka} store; created when missing. */
        @WithDefault("ncp.snapshot.bridge-requests")
        String kafkaTopic();
    }

    interface Amqp {
        @WithDefault("ncp.snapshot.requests")
        String requestsQueue();

        @WithDefault("ncp.snapshot.events")
        String eventsAddress();

        /** Whether to consume requests over AMQP when AMQP_URL is set (events can go there regardless). */
        @WithDefault("true")
        boolean intakeEnabled();

        /**
         * Consumers (each with its own session) in this instance: messages worked on at once, each settled after its
         * events are published; together with the other intakes within {@code BRIDGE_WORKERS}.
         */
        @WithDefault("4")
        int consumers();

        /** Messages each consumer holds unsettled; small, so that replicas share the queue. */
        @WithDefault("1")
        int prefetch();

        /** A larger message is rejected without being parsed. */
        @WithDefault("1048576")
        int maxMessageBytes();

        /** Pause before a lost connection is tried again. */
        @WithDefault("5s")
        Duration reconnectInterval();
    }

    interface Publish {
        /** First pause before publishing an event again after the sink refused it. */
        @WithDefault("1s")
        Duration initialDelay();

        /** Longest pause between publishing attempts. */
        @WithDefault("30s")
        Duration maxDelay();
    }

    interface Kafka {
        @WithDefault("ncp.snapshot.requests")
        String requestsTopic();

        @WithDefault("ncp.snapshot.events")
        String eventsTopic();

        /** One group across all replicas: Kafka spreads the partitions over them. */
        @WithDefault("ncp-snapshot-bridge")
        String groupId();

        @WithDefault("ncp-snapshot-bridge")
        String clientId();

        /** Whether to consume requests from Kafka when Kafka is configured (events can go there regardless). */
        @WithDefault("true")
        boolean intakeEnabled();

        /** {@code PLAINTEXT}, {@code SSL}, {@code SASL_PLAINTEXT} or {@code SASL_SSL}. */
        @WithDefault("PLAINTEXT")
        String securityProtocol();

        /** e.g. {@code SCRAM-SHA-512}, {@code PLAIN}. */
        Optional<String> saslMechanism();

        /** The JAAS line with the user and password; treated as a secret. */
        Optional<String> saslJaasConfig();

        Optional<String> sslTruststoreLocation();

        Optional<String> sslTruststorePassword();

        Optional<String> sslTruststoreType();

        /** Records fetched per poll; they are worked on at once, up to BRIDGE_WORKERS. */
        @WithDefault("50")
        int maxPollRecords();

        /** Consumer threads in this instance. */
        @WithDefault("1")
        int consumers();

        /** How soon the group notices a replica that died. */
        @WithDefault("45s")
        Duration sessionTimeout();

        /** How long a readiness check waits for the cluster. */
        @WithDefault("3s")
        Duration healthTimeout();
    }

    interface Inbox {
        /** A larger file is refused whole, unread ({@code rejected}, the limit named); e.g. {@code 1MB}, {@code 512KB}. */
        @WithDefault("1MB")
        String maxFileSize();

        /** A file with more requests is refused whole ({@code rejected}, the limit named). */
        @WithDefault("1000")
        int maxRequestsPerFile();

        /** How often the folder is scanned. */
        @WithDefault("500ms")
        Duration pollInterval();

        /** A file is read only once its size and time stamp stayed the same for this long. */
        @WithDefault("1s")
        Duration stableFor();

        /** How often a replica that does not read the folder checks whether the reader has gone. */
        @WithDefault("5s")
        Duration leaderCheckInterval();
    }

    interface Ncp {
        @WithDefault("5s")
        Duration connectTimeout();

        /** With the connect timeout, the deadline of one call; it must end within the claim's lease (30 s). */
        @WithDefault("20s")
        Duration readTimeout();

        /** Calls that may start per second, all intakes together. */
        @WithDefault("10")
        double maxCallsPerSecond();

        /** Calls that may be under way at once. */
        @WithDefault("4")
        int maxConcurrentCalls();

        /** While NCP keeps failing, requests wait this long (from the outage's start) before any is given up. */
        @WithDefault("10m")
        Duration outageTolerance();

        /**
         * After an attempt of unknown effect, how long the snapshot must stay absent from NCP's list before it is
         * created again (the list may lag behind a create).
         */
        @WithDefault("60s")
        Duration lookupSettle();

        /** Retryable failures in a row, with no success between, that make an outage. */
        @WithDefault("3")
        int outageAfterFailures();
    }

    Retry retry();

    interface Retry {
        @WithDefault("6")
        int maxAttempts();

        @WithDefault("1s")
        Duration initialDelay();

        @WithDefault("60s")
        Duration maxDelay();
    }

    interface NcpSimulator {
        /** Serves a signature-checking stand-in for NCP under {@code /ncp-simulator/server/v2}. */
        @WithDefault("false")
        boolean enabled();
    }

    enum EventsSink {
        file,
        kafka,
        amqp
    }
}
