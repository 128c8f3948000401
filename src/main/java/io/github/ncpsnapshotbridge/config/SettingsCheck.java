package io.github.ncpsnapshotbridge.config;

import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.camel.quarkus.main.events.BeforeConfigure;
import org.jboss.logging.Logger;

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
        return problems;
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
