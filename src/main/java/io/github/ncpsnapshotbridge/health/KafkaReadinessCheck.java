package io.github.ncpsnapshotbridge.health;

import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.github.ncpsnapshotbridge.settings.KafkaSettings;

/** Not ready while the configured Kafka cluster cannot be reached: requests would neither come in nor go out. */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {

    private final KafkaSettings settings;
    private Admin admin;

    public KafkaReadinessCheck(KafkaSettings settings) {
        this.settings = settings;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kafka");
        if (!settings.enabled()) {
            return response.up().withData("configured", false).build();
        }
        long timeoutMs = settings.kafka().healthTimeout().toMillis();
        try {
            int nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs))
                    .nodes().get(timeoutMs + 500, TimeUnit.MILLISECONDS).size();
            return response.up().withData("bootstrapServers", settings.bootstrapServers()).withData("brokers", nodes).build();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return response.down().withData("bootstrapServers", settings.bootstrapServers())
                    .withData("error", e.getClass().getSimpleName()
                            + (e.getCause() != null ? ": " + e.getCause().getClass().getSimpleName() : ""))
                    .build();
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(settings.clientProperties("health"));
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
