package io.github.ncpsnapshotbridge.config;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.camel.quarkus.main.events.BeforeConfigure;
import org.jboss.logging.Logger;

import io.github.ncpsnapshotbridge.intake.InboxFiles;
import io.github.ncpsnapshotbridge.ncp.CredentialsStore;
import io.github.ncpsnapshotbridge.ncp.NcpCredentials;
import io.github.ncpsnapshotbridge.ncp.Platform;
import io.github.ncpsnapshotbridge.settings.AmqpSettings;
import io.github.ncpsnapshotbridge.settings.BridgeConfig;
import io.github.ncpsnapshotbridge.settings.KafkaSettings;
import io.github.ncpsnapshotbridge.settings.NcpConfig;
import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * Checks the settings together before Camel builds or starts a single route. Each refused setting is printed as one
 * plain line on standard error, naming it and saying how to fix it, and the start fails (the process exits non-zero),
 * so an operator never meets a bridge that is up but fails every request.
 */
@ApplicationScoped
public class SettingsCheck {

    private static final Logger LOG = Logger.getLogger(SettingsCheck.class);

    void beforeRoutes(@Observes BeforeConfigure event, NcpConfig ncp, BridgeConfig bridge, CredentialsStore credentials,
            KafkaSettings kafka, AmqpSettings amqp) {
        List<String> problems = problems(ncp, bridge, credentials.find(CredentialsStore.DEFAULT_ACCOUNT),
                ConfigUtils.getProfiles().contains("prod"));
        problems.addAll(channelProblems(bridge, kafka.enabled(), amqp.enabled()));
        if (!problems.isEmpty()) {
            refuse(problems, System.err);
        }
        LOG.infof("NCP API at %s (VPC: %s; accounts without a platform of their own: %s); drop folder %s; Kafka %s;"
                + " AMQP %s; events to %s", ncp.apiUrl(), ncp.vpcApiUrl(), ncp.platform(), bridge.inboxDir().toAbsolutePath(),
                kafka.enabled() ? kafka.bootstrapServers() + " (requests from " + bridge.kafka().requestsTopic() + ")" : "off",
                amqp.enabled() ? "on (requests from " + bridge.amqp().requestsQueue() + ")" : "off",
                switch (kafka.sink(bridge)) {
                    case file -> "files in " + bridge.outboxDir().toAbsolutePath();
                    case kafka -> "Kafka topic " + bridge.kafka().eventsTopic();
                    case amqp -> "AMQP address " + bridge.amqp().eventsAddress();
                });
    }

    /** Prints each problem as its own line, then fails the start with all of them. */
    static void refuse(List<String> problems, PrintStream err) {
        for (String problem : problems) {
            err.println("ncp-snapshot-bridge refuses to start: " + problem);
        }
        err.flush();
        throw new SettingsRefused(problems);
    }

    /** Every setting that would stop the bridge from doing its job, each named with how to fix it; empty if none. */
    static List<String> problems(NcpConfig ncp, BridgeConfig bridge, Optional<NcpCredentials> defaultKeys, boolean prod) {
        List<String> problems = new ArrayList<>();
        if (defaultKeys.isEmpty()) {
            problems.add(missingKeys(ncp));
        } else {
            placeholder(defaultKeys.get().accessKey()).ifPresent(problems::add);
        }
        if (prod) {
            if (bridge.ncpSimulator().enabled()) {
                problems.add("BRIDGE_NCP_SIMULATOR_ENABLED is a development setting: the simulator reports snapshots that"
                        + " do not exist, so the prod profile refuses it (it runs in ./mvnw quarkus:dev); unset it");
            }
            plainHttp("NCP_API_URL", ncp.apiUrl()).ifPresent(problems::add);
            plainHttp("NCP_VPC_API_URL", ncp.vpcApiUrl()).ifPresent(problems::add);
        }
        if (Platform.of(ncp.platform()).isEmpty()) {
            problems.add("NCP_PLATFORM must be classic or vpc, not '" + ncp.platform() + "'");
        }
        problems.addAll(limitProblems(bridge));
        if (prod && bridge.http().enabled() && bridge.http().tokensFile().isEmpty()) {
            problems.add("BRIDGE_HTTP_ENABLED=true needs BRIDGE_HTTP_TOKENS_FILE (the bearer tokens the API accepts, one"
                    + " per line): the prod profile refuses an API anyone could call");
        }
        return problems;
    }

    /** Limits and durations that must be positive, and those that must fit each other. */
    static List<String> limitProblems(BridgeConfig bridge) {
        List<String> problems = new ArrayList<>();
        atLeast(problems, "bridge.workers", bridge.workers(), 1);
        atLeast(problems, "bridge.ncp.max-concurrent-calls", bridge.ncp().maxConcurrentCalls(), 1);
        atLeast(problems, "bridge.ncp.outage-after-failures", bridge.ncp().outageAfterFailures(), 1);
        atLeast(problems, "bridge.retry.max-attempts", bridge.retry().maxAttempts(), 1);
        atLeast(problems, "bridge.inbox.max-requests-per-file", bridge.inbox().maxRequestsPerFile(), 1);
        atLeast(problems, "bridge.kafka.max-poll-records", bridge.kafka().maxPollRecords(), 1);
        atLeast(problems, "bridge.kafka.consumers", bridge.kafka().consumers(), 1);
        atLeast(problems, "bridge.amqp.consumers", bridge.amqp().consumers(), 1);
        atLeast(problems, "bridge.amqp.prefetch", bridge.amqp().prefetch(), 1);
        atLeast(problems, "bridge.amqp.max-message-bytes", bridge.amqp().maxMessageBytes(), 1);
        if (!(bridge.ncp().maxCallsPerSecond() > 0)) {
            problems.add(env("bridge.ncp.max-calls-per-second") + " must be more than 0, not "
                    + bridge.ncp().maxCallsPerSecond());
        }
        try {
            if (InboxFiles.byteSize(bridge.inbox().maxFileSize()) < 1) {
                problems.add(env("bridge.inbox.max-file-size") + " must be at least 1 byte");
            }
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        positive(problems, "bridge.ncp.connect-timeout", bridge.ncp().connectTimeout());
        positive(problems, "bridge.ncp.read-timeout", bridge.ncp().readTimeout());
        positive(problems, "bridge.ncp.outage-tolerance", bridge.ncp().outageTolerance());
        // 0 would count a create of unknown effect as not made at the first look-up, and make a second snapshot
        positive(problems, "bridge.ncp.lookup-settle", bridge.ncp().lookupSettle());
        positive(problems, "bridge.idempotency.lease", bridge.idempotency().lease());
        positive(problems, "bridge.idempotency.retention", bridge.idempotency().retention());
        positive(problems, "bridge.idempotency.retry-interval", bridge.idempotency().retryInterval());
        positive(problems, "bridge.inbox.poll-interval", bridge.inbox().pollInterval());
        positive(problems, "bridge.inbox.stable-for", bridge.inbox().stableFor());
        positive(problems, "bridge.inbox.leader-check-interval", bridge.inbox().leaderCheckInterval());
        positive(problems, "bridge.retry.initial-delay", bridge.retry().initialDelay());
        positive(problems, "bridge.publish.initial-delay", bridge.publish().initialDelay());
        positive(problems, "bridge.completion.poll-interval", bridge.completion().pollInterval());
        positive(problems, "bridge.completion.timeout", bridge.completion().timeout());
        positive(problems, "bridge.kafka.session-timeout", bridge.kafka().sessionTimeout());
        positive(problems, "bridge.amqp.reconnect-interval", bridge.amqp().reconnectInterval());
        notBelow(problems, "bridge.retry.max-delay", bridge.retry().maxDelay(), "bridge.retry.initial-delay",
                bridge.retry().initialDelay());
        notBelow(problems, "bridge.publish.max-delay", bridge.publish().maxDelay(), "bridge.publish.initial-delay",
                bridge.publish().initialDelay());
        // an owner must be able to finish a call within its lease, or another replica takes over while it is sent
        Duration call = bridge.ncp().connectTimeout().plus(bridge.ncp().readTimeout());
        if (bridge.idempotency().lease().compareTo(call) <= 0) {
            problems.add(env("bridge.idempotency.lease") + " (" + bridge.idempotency().lease() + ") must be longer than "
                    + env("bridge.ncp.connect-timeout") + " + " + env("bridge.ncp.read-timeout") + " (" + call
                    + "): a call must end within the lease of the replica that sends it");
        }
        if (bridge.idempotency().retention().compareTo(bridge.idempotency().lease()) <= 0) {
            problems.add(env("bridge.idempotency.retention") + " must be longer than " + env("bridge.idempotency.lease"));
        }
        if (!STORES.contains(bridge.idempotency().store())) {
            problems.add(env("bridge.idempotency.store") + " must be one of " + String.join(", ", STORES) + ", not '"
                    + bridge.idempotency().store() + "'");
        }
        return problems;
    }

    /** Channels a setting names but that are not configured. */
    static List<String> channelProblems(BridgeConfig bridge, boolean kafka, boolean amqp) {
        List<String> problems = new ArrayList<>();
        if ("kafka".equals(bridge.idempotency().store()) && !kafka) {
            problems.add("BRIDGE_IDEMPOTENCY_STORE=kafka needs KAFKA_BOOTSTRAP_SERVERS; set it, or use the file store");
        }
        if (bridge.eventsSink().filter(s -> s == BridgeConfig.EventsSink.kafka).isPresent() && !kafka) {
            problems.add("BRIDGE_EVENTS_SINK=kafka needs KAFKA_BOOTSTRAP_SERVERS; set it, or choose another sink");
        }
        if (bridge.eventsSink().filter(s -> s == BridgeConfig.EventsSink.amqp).isPresent() && !amqp) {
            problems.add("BRIDGE_EVENTS_SINK=amqp needs AMQP_URL; set it, or choose another sink");
        }
        return problems;
    }

    static final List<String> STORES = List.of("file", "kafka");

    /** The environment variable of a property: {@code bridge.ncp.lookup-settle} is {@code BRIDGE_NCP_LOOKUP_SETTLE}. */
    static String env(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static void atLeast(List<String> problems, String property, long value, long min) {
        if (value < min) {
            problems.add(env(property) + " must be at least " + min + ", not " + value);
        }
    }

    private static void positive(List<String> problems, String property, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problems.add(env(property) + " must be longer than 0, not " + value);
        }
    }

    private static void notBelow(List<String> problems, String property, Duration value, String other, Duration min) {
        if (value.compareTo(min) < 0) {
            problems.add(env(property) + " (" + value + ") must not be shorter than " + env(other) + " (" + min + ")");
        }
    }

    private static String missingKeys(NcpConfig ncp) {
        List<String> missing = new ArrayList<>();
        if (ncp.accessKey().filter(s -> !s.isBlank()).isEmpty()) {
            missing.add("NCP_ACCESS_KEY");
        }
        if (ncp.secretKey().filter(s -> !s.isBlank()).isEmpty()) {
            missing.add("NCP_SECRET_KEY");
        }
        return String.join(" and ", missing) + (missing.size() > 1 ? " are" : " is")
                + " not set: no NCP credentials for account 'default'; set " + String.join(" and ", missing)
                + " (or put default/access-key and default/secret-key, or default-access-key and default-secret-key,"
                + " under BRIDGE_CREDENTIALS_DIR)";
    }

    /**
     * A key left at a template's placeholder ({@code REPLACE_WITH_…}) would fail every request as {@code auth}; the
     * placeholder is no secret, so it may be named.
     */
    static Optional<String> placeholder(String accessKey) {
        return accessKey != null && accessKey.startsWith("REPLACE_WITH")
                ? Optional.of("NCP_ACCESS_KEY of account 'default' is the placeholder " + accessKey
                        + ": create the Secret with your real keys (README, Deploy)")
                : Optional.empty();
    }

    /** Plain http only to a loopback address (a local proxy or stand-in): keys' signatures would cross the network. */
    static Optional<String> plainHttp(String setting, String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            return Optional.of(setting + " is not a URL: " + e.getMessage());
        }
        if ("http".equalsIgnoreCase(uri.getScheme()) && !isLoopback(uri.getHost())) {
            return Optional.of(setting + " must be https: plain http is accepted only to a loopback address (a local"
                    + " proxy or stand-in), not to " + uri.getHost());
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            return Optional.of(setting + " must be an https URL, not '" + url + "'");
        }
        return Optional.empty();
    }

    /** A loopback host by name or literal address, without asking DNS. */
    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return h.equalsIgnoreCase("localhost") || h.matches("127(\\.\\d{1,3}){3}") || h.equals("::1")
                || h.equals("0:0:0:0:0:0:0:1");
    }

    /** The start refused; its message holds every problem, none of them a secret. */
    static final class SettingsRefused extends IllegalStateException {
        SettingsRefused(List<String> problems) {
            super(String.join("; ", problems));
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // the message says it all: no stack trace in the log
        }
    }
}
