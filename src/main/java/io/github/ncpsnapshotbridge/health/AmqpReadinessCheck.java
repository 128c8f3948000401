package io.github.ncpsnapshotbridge.health;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.jms.JmsConsumer;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

import io.github.ncpsnapshotbridge.settings.AmqpSettings;

/**
 * Not ready while the AMQP broker cannot be reached, or while the intake is not attached to its queue (a broker that
 * refuses the address, say a RabbitMQ address without its leading slash, would otherwise leave the bridge idle and
 * silent). Holds one idle connection and watches it; once it breaks, each check tries to open a new one.
 */
@Readiness
@ApplicationScoped
public class AmqpReadinessCheck implements HealthCheck {

    private final AmqpSettings settings;
    private final CamelContext camel;
    private Connection connection;
    private volatile boolean broken;

    public AmqpReadinessCheck(AmqpSettings settings, CamelContext camel) {
        this.settings = settings;
        this.camel = camel;
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
        Route intake = camel.getRoute("amqp-intake");
        if (intake != null && intake.getConsumer() instanceof JmsConsumer consumer) {
            try {
                if (consumer.getListenerContainer() instanceof DefaultMessageListenerContainer container
                        && container.isRunning() && !container.isRegisteredWithDestination()) {
                    return response.down().withData("error", "not attached to queue " + settings.amqp().requestsQueue())
                            .build();
                }
            } catch (Exception e) {
                return response.down().withData("error", e.getClass().getSimpleName()).build();
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
