package io.github.ncpsnapshotbridge.ncp;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpComponent;

import io.github.ncpsnapshotbridge.config.BridgeConfig;
import io.github.ncpsnapshotbridge.config.NcpConfig;

/** Sends one signed createBlockStorageSnapshotInstance GET and leaves the request's event as the body. */
@ApplicationScoped
public class NcpCallRoute extends RouteBuilder {

    public static final String CREATE_SNAPSHOT = "direct:ncp-create-snapshot";
    public static final String FIND_SNAPSHOT = "direct:ncp-find-snapshot";

    private final NcpConfig ncp;
    private final BridgeConfig bridge;
    private final NcpCallSteps steps;

    public NcpCallRoute(NcpConfig ncp, BridgeConfig bridge, NcpCallSteps steps) {
        this.ncp = ncp;
        this.bridge = bridge;
        this.steps = steps;
    }

    @Override
    public void configure() {
        String apiUrl = ncp.apiUrl().trim();
        String scheme = apiUrl.startsWith("https:") ? "https" : "http";
        // timeouts are settings of the HTTP component, not of an endpoint, in this Camel line
        HttpComponent http = getContext().getComponent(scheme, HttpComponent.class);
        http.setConnectTimeout(bridge.ncp().connectTimeout().toMillis());
        http.setSoTimeout(bridge.ncp().readTimeout().toMillis());
        http.setResponseTimeout(bridge.ncp().readTimeout().toMillis());

        String endpoint = apiUrl + "?throwExceptionOnFailure=false&followRedirects=false&skipResponseHeaders=true";

        // an answer that cannot be had here propagates: the input stays unacknowledged and comes back later
        from(FIND_SNAPSHOT).routeId("ncp-find-snapshot")
                .bean(steps, "prepareFind")
                .to(endpoint)
                .bean(steps, "found")
                .removeHeaders("*");

        from(CREATE_SNAPSHOT).routeId("ncp-create-snapshot")
                .setProperty(NcpCallSteps.REQUEST, body())
                .doTry()
                    .bean(steps, "prepare")
                    .to(endpoint)
                    .bean(steps, "answered")
                .doCatch(Exception.class)
                    .bean(steps, "unanswered")
                .end()
                .removeHeaders("*");
    }
}
