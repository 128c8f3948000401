package io.github.ncpsnapshotbridge.health;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.github.ncpsnapshotbridge.ncp.NcpGate;

/**
 * NCP's state as the bridge sees it. Stays UP during an outage: restarting or unrouting this pod would not bring NCP
 * back, and requests are waiting safely; the data says since when and how many calls wait.
 */
@Readiness
@ApplicationScoped
public class NcpOutageCheck implements HealthCheck {

    private final NcpGate gate;

    public NcpOutageCheck(NcpGate gate) {
        this.gate = gate;
    }

    @Override
    public HealthCheckResponse call() {
        Instant since = gate.outageSince();
        return HealthCheckResponse.named("ncp").up()
                .withData("outage", since != null)
                .withData("outageSince", since == null ? "" : since.toString())
                .withData("callsWaiting", gate.waiting())
                .build();
    }
}
