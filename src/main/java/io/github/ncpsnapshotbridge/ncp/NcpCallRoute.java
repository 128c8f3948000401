package io.github.ncpsnapshotbridge.ncp;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpComponent;

import io.github.ncpsnapshotbridge.settings.BridgeConfig;
import io.github.ncpsnapshotbridge.settings.NcpConfig;

/**
 * Every single GET to NCP goes through {@link #HTTP}, the camel-http route; {@link SnapshotCreator} and
 * {@link SnapshotLookup} decide about retries, pauses and look-ups.
 */
@ApplicationScoped
public class NcpCallRoute extends RouteBuilder {

    public static final String HTTP = "direct:ncp-http";

    private final NcpConfig ncp;
    private final BridgeConfig bridge;
    private final NcpHttpMessages messages;

    public NcpCallRoute(NcpConfig ncp, BridgeConfig bridge, NcpHttpMessages messages) {
        this.ncp = ncp;
        this.bridge = bridge;
        this.messages = messages;
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
        // HttpClient would silently repeat a 429 or 503 with the same signature; SnapshotCreator owns every retry
        http.setHttpClientConfigurer(builder -> builder.disableAutomaticRetries());

        // one GET, no redelivery here: the caller sees every failure and decides
        from(HTTP).routeId("ncp-http")
                .errorHandler(noErrorHandler())
                .bean(messages, "toMessage")
                .to(apiUrl + "?throwExceptionOnFailure=false&followRedirects=false&lazyStartProducer=true")
                .bean(messages, "toReply");
    }
}
