package io.github.ncpsnapshotbridge.health;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;

import org.apache.qpid.jms.JmsConnectionFactory;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.github.ncpsnapshotbridge.config.AmqpSettings;

/**
 * Not ready while the AMQP broker cannot be reached. Holds one idle connection and watches it; once it breaks, each
 * check tries to open a new one.
 */
@Readiness
@ApplicationScoped
public class AmqpReadinessCheck implements HealthCheck {

    private final AmqpSettings settings;
    private Connection connection;
    private volatile boolean broken;

    public AmqpReadinessCheck(AmqpSettings settings) {
        this.settings = settings;
    }

    @Override
    public synchronized HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("amqp");
        if (!settings.enabled()) {
            return response.up().withData("configured", false).build();
        }
        if (connection == null || broken) {
            close();
            try {
                JmsConnectionFactory factory = settings.newConnectionFactory();
                factory.setConnectTimeout(3000);
                Connection fresh = factory.createConnection();
                fresh.setExceptionListener(e -> broken = true);
                fresh.start();
                connection = fresh;
                broken = false;
            } catch (JMSException e) {
                // the exception text may quote the URL and its options, so only the kinds of error are reported
                return response.down().withData("error", e.getClass().getSimpleName()
                        + (e.getCause() != null ? ": " + e.getCause().getClass().getSimpleName() : "")).build();
            }
        }
        return response.up().build();
    }

    @PreDestroy
    synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (JMSException e) {
                // already gone
            }
            connection = null;
        }
    }
}
