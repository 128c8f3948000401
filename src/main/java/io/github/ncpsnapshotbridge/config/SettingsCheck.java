package io.github.ncpsnapshotbridge.config;

import io.github.ncpsnapshotbridge.settings.AmqpSettings;

import io.github.ncpsnapshotbridge.settings.KafkaSettings;

import io.github.ncpsnapshotbridge.settings.NcpConfig;

import io.github.ncpsnapshotbridge.settings.BridgeConfig;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.github.ncpsnapshotbridge.ncp.CredentialsStore;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * Refuses to start without credentials for account {@code default}, naming what is missing; and, in the prod profile,
 * with the NCP simulator switched on (it reports snapshots that do not exist) or with a plain-http NCP URL that is not
 * a loopback address (keys' signatures and answers would cross the network unprotected).
 */
@ApplicationScoped
public class StartupChecks {

    private static final Logger LOG = Logger.getLogger(StartupChecks.class);

    void onStart(@Observes StartupEvent event, NcpConfig ncp, BridgeConfig bridge, CredentialsStore credentials,
            KafkaSettings kafka, AmqpSettings amqp) {
        credentials.find(CredentialsStore.DEFAULT_ACCOUNT).ifPresent(keys -> refusePlaceholder(keys.accessKey()));
        if (ConfigUtils.getProfiles().contains("prod")) {
            refuseUnsafeProductionSettings(ncp.apiUrl(), bridge.ncpSimulator().enabled());
            refusePlainHttp("NCP_VPC_API_URL", ncp.vpcApiUrl());
        }
        BridgeBeans.defaultPlatform(ncp);
        if (credentials.find(CredentialsStore.DEFAULT_ACCOUNT).isEmpty()) {
            List<String> missing = new ArrayList<>();
            if (ncp.accessKey().filter(s -> !s.isBlank()).isEmpty()) {
                missing.add("NCP_ACCESS_KEY");
            }
            if (ncp.secretKey().filter(s -> !s.isBlank()).isEmpty()) {
                missing.add("NCP_SECRET_KEY");
            }
            throw new IllegalStateException("No NCP credentials for account 'default': set " + String.join(" and ", missing)
                    + " (or put default/access-key and default/secret-key, or default-access-key and default-secret-key,"
                    + " under BRIDGE_CREDENTIALS_DIR)");
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

    static void refuseUnsafeProductionSettings(String apiUrl, boolean simulator) {
        if (simulator) {
            throw new IllegalStateException("BRIDGE_NCP_SIMULATOR_ENABLED is a development setting: the simulator reports "
                    + "snapshots that do not exist, so the prod profile refuses it (it runs in ./mvnw quarkus:dev)");
        }
        refusePlainHttp("NCP_API_URL", apiUrl);
    }

    static void refusePlainHttp(String setting, String url) {
        URI uri = URI.create(url.trim());
        if ("http".equalsIgnoreCase(uri.getScheme()) && !isLoopback(uri.getHost())) {
            throw new IllegalStateException(setting + " must be https: plain http is accepted only to a loopback address "
                    + "(a local proxy or stand-in), not to " + uri.getHost());
        }
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

    /**
     * A key left at a template's placeholder ({@code REPLACE_WITH_…}) would fail every request as {@code auth}; the
     * bridge stops at once instead, saying so (the placeholder is no secret, so it may be named).
     */
    static void refusePlaceholder(String accessKey) {
        if (accessKey != null && accessKey.startsWith("REPLACE_WITH")) {
            throw new IllegalStateException("The NCP access key of account 'default' is the placeholder " + accessKey
                    + ": create the Secret with your real keys (see the README, Deploy to Kubernetes)");
        }
    }
}
