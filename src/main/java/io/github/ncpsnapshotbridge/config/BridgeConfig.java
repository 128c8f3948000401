package io.github.ncpsnapshotbridge.config;

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

    /** {@code file}, {@code kafka} or {@code amqp}; unset means {@code file}. */
    Optional<EventsSink> eventsSink();

    /** The CloudEvents {@code source} attribute. */
    @WithDefault("ncp-snapshot-bridge")
    String eventSource();

    Inbox inbox();

    Ncp ncp();

    NcpSimulator ncpSimulator();

    interface Inbox {
        /** How often the folder is scanned. */
        @WithDefault("500ms")
        Duration pollInterval();

        /** A file is read only once its size and time stamp stayed the same for this long. */
        @WithDefault("1s")
        Duration stableFor();
    }

    interface Ncp {
        @WithDefault("5s")
        Duration connectTimeout();

        @WithDefault("30s")
        Duration readTimeout();
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
