package io.github.ncpsnapshotbridge.ncp;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpComponent;

import io.github.ncpsnapshotbridge.config.BridgeConfig;
import io.github.ncpsnapshotbridge.config.NcpConfig;

/**
 * NCP calls. {@link #CREATE_SNAPSHOT} and {@link #FIND_SNAPSHOT} hand the request to {@link NcpCaller}, which decides
 * about retries, pauses and look-ups; every single GET it makes goes through {@link #HTTP}, the camel-http route.
 */
@ApplicationScoped
public class NcpCallRoute extends RouteBuilder {

    public static final String CREATE_SNAPSHOT = "direct:ncp-create-snapshot";
    public static final String FIND_SNAPSHOT = "direct:ncp-find-snapshot";
    public static final String HTTP = "direct:ncp-http";

    private final NcpConfig ncp;
    private final BridgeConfig bridge;
    private final NcpCallSteps steps;
    private final NcpCaller caller;

    public NcpCallRoute(NcpConfig ncp, BridgeConfig bridge, NcpCallSteps steps, NcpCaller caller) {
        this.ncp = ncp;
        this.bridge = bridge;
        this.steps = steps;
        this.caller = caller;
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
        // HttpClient would silently repeat a 429 or 503 with the same signature; NcpCaller owns every retry
        http.setHttpClientConfigurer(builder -> builder.disableAutomaticRetries());

        from(CREATE_SNAPSHOT).routeId("ncp-create-snapshot")
                .bean(caller, "create");

        // an answer that cannot be had propagates: the input stays unacknowledged and comes back later
        from(FIND_SNAPSHOT).routeId("ncp-find-snapshot")
                .bean(caller, "resolveInFlight");

        // one GET, no redelivery here: the caller sees every failure and decides
        from(HTTP).routeId("ncp-http")
                .errorHandler(noErrorHandler())
                .bean(steps, "toMessage")
                .to(apiUrl + "?throwExceptionOnFailure=false&followRedirects=false")
                .bean(steps, "toReply");
    }
}
