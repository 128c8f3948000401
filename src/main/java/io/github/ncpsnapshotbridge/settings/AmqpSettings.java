package io.github.ncpsnapshotbridge.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.qpid.jms.JmsConnectionFactory;
import org.apache.qpid.jms.policy.JmsDefaultPrefetchPolicy;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** AMQP 1.0 connection settings: on when {@code AMQP_URL} is set. */
@ApplicationScoped
public class AmqpSettings {

    private final Optional<String> url;
    private final Optional<String> username;
    private final Optional<String> password;
    private final BridgeConfig.Amqp amqp;

    public AmqpSettings(@ConfigProperty(name = "amqp.url") Optional<String> url,
            @ConfigProperty(name = "amqp.username") Optional<String> username,
            @ConfigProperty(name = "amqp.password") Optional<String> password, BridgeConfig bridge) {
        this.url = url.map(String::trim).filter(s -> !s.isEmpty());
        this.username = username.filter(s -> !s.isEmpty());
        this.password = password.filter(s -> !s.isEmpty());
        this.amqp = bridge.amqp();
    }

    public boolean enabled() {
        return url.isPresent();
    }

    public String url() {
        return url.orElseThrow(() -> new IllegalStateException("AMQP_URL is not set"));
    }

    public Optional<String> username() {
        return username;
    }

    /** A new Qpid JMS factory for the configured broker; the password goes only in here. */
    public JmsConnectionFactory newConnectionFactory() {
        return newConnectionFactory(url());
    }

    /**
     * A factory whose connection survives broker restarts: Qpid's failover transport reconnects (with growing pauses,
     * without end) and restores sessions, consumers and producers, so routes never hold a dead session.
     */
    public JmsConnectionFactory newReconnectingConnectionFactory() {
        return newConnectionFactory(failoverUrl(url(), amqp.reconnectInterval().toMillis()));
    }

    /**
     * Wraps a plain {@code amqp://} or {@code amqps://} URL in {@code failover:(...)}. Connection-wide options
     * ({@code jms.*}, {@code failover.*}) must sit outside the parentheses; transport and AMQP options stay inside.
     */
    static String failoverUrl(String url, long reconnectIntervalMs) {
        if (url.startsWith("failover:")) {
            return url;
        }
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        List<String> inner = new ArrayList<>();
        List<String> outer = new ArrayList<>();
        if (q >= 0) {
            for (String option : url.substring(q + 1).split("&")) {
                if (option.startsWith("jms.") || option.startsWith("failover.")) {
                    outer.add(option);
                } else if (!option.isEmpty()) {
                    inner.add(option);
                }
            }
        }
        List<String> defaults = List.of("failover.initialReconnectDelay=" + reconnectIntervalMs,
                "failover.reconnectDelay=" + reconnectIntervalMs, "failover.useReconnectBackOff=true",
                "failover.reconnectBackOffMultiplier=2", "failover.maxReconnectDelay=30000",
                "failover.maxReconnectAttempts=-1");
        for (String option : defaults) {
            String key = option.substring(0, option.indexOf('=') + 1);
            if (outer.stream().noneMatch(o -> o.startsWith(key))) {
                outer.add(option);
            }
        }
        return "failover:(" + base + (inner.isEmpty() ? "" : "?" + String.join("&", inner)) + ")?"
                + String.join("&", outer);
    }

    private JmsConnectionFactory newConnectionFactory(String brokerUrl) {
        JmsConnectionFactory factory = new JmsConnectionFactory(brokerUrl);
        // a consumer holds few messages unsettled, so other replicas get the rest (Qpid's default is 1000)
        JmsDefaultPrefetchPolicy prefetch = new JmsDefaultPrefetchPolicy();
        prefetch.setAll(Math.max(0, amqp.prefetch()));
        factory.setPrefetchPolicy(prefetch);
        username.ifPresent(factory::setUsername);
        password.ifPresent(factory::setPassword);
        return factory;
    }

    public BridgeConfig.Amqp amqp() {
        return amqp;
    }
}
