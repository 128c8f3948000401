package io.github.ncpsnapshotbridge.ncpcall;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.converter.jaxb.JaxbDataFormat;

import io.github.ncpsnapshotbridge.ncp.Platform;
import io.github.ncpsnapshotbridge.ncp.UnreadableAnswer;
import io.github.ncpsnapshotbridge.ncp.XmlAnswers;
import io.github.ncpsnapshotbridge.settings.BridgeConfig;

/**
 * Every call to NCP leaves here: a signed GET through camel-http, and its answer read through camel-jaxb with the
 * platform's model. The endpoint is static; each call's target travels in Camel's HTTP headers ({@code CamelHttpUri},
 * and the query, raw, in {@code CamelHttpRawQuery}), so that the bytes sent are exactly the bytes signed. The client
 * has no retries, no redirects, no cookies and no content decoding ({@code camel.component.http.*} in
 * application.properties); its timeouts and pool come from the bridge's NCP settings, set on the component here.
 */
@ApplicationScoped
public class NcpCallRoute extends RouteBuilder {

    /** Where a signed call is handed over; see {@link CamelNcpTransport}. */
    public static final String CALL = "direct:ncp-call";
    /** Reads an answer's bytes (the body) with the model of the platform in {@link #PLATFORM}. */
    public static final String READ_ANSWER = "direct:ncp-answer";
    /** Exchange property: the {@link Platform} whose model the answer is read with. */
    public static final String PLATFORM = "ncpPlatform";
    /** Exchange property: the answer's bytes as they came. */
    public static final String ANSWER_BYTES = "ncpAnswerBytes";

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int connections;

    @Inject
    public NcpCallRoute(BridgeConfig config) {
        this(config.ncp().connectTimeout(), config.ncp().readTimeout(), config.ncp().maxConcurrentCalls());
    }

    public NcpCallRoute(Duration connectTimeout, Duration readTimeout, int maxConcurrentCalls) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.connections = Math.max(2, maxConcurrentCalls);
    }

    @Override
    public void configure() {
        HttpComponent http = getContext().getComponent("http", HttpComponent.class);
        http.setConnectTimeout(connectTimeout.toMillis());
        http.setResponseTimeout(readTimeout.toMillis());
        http.setSoTimeout(readTimeout.toMillis());
        // the gate holds calls to its concurrency limit: a connection is always free for the one it lets through
        http.setConnectionsPerRoute(connections);
        http.setMaxTotalConnections(connections);

        from(CALL).routeId("ncp-call")
                // every status comes back as an answer: the caller decides what a 4xx, a 429 or a 5xx means
                .to("http://ncp-api?throwExceptionOnFailure=false")
                .convertBodyTo(byte[].class)
                .to(READ_ANSWER);

        from(READ_ANSWER).routeId("ncp-answer")
                .setProperty(ANSWER_BYTES, body())
                // JSON (the gateway's own errors) and empty bodies stay bytes, for the parser to judge
                .filter(method(XmlAnswers.class, "isXml"))
                    .doTry()
                        .process(NcpCallRoute::refuseDoctype)
                        .choice()
                            .when(exchangeProperty(PLATFORM).isEqualTo(Platform.VPC))
                                .unmarshal(model("io.github.ncpsnapshotbridge.ncp.model.vpc"))
                            .otherwise()
                                .unmarshal(model("io.github.ncpsnapshotbridge.ncp.model"))
                        .end().endDoTry()
                    .doCatch(Exception.class)
                        .process(NcpCallRoute::unreadable)
                    .end()
                .end();
    }

    /** A platform's answers: the JAXB classes generated from its schema. */
    private static JaxbDataFormat model(String contextPath) {
        JaxbDataFormat format = new JaxbDataFormat(contextPath);
        // NCP's answers are root elements of their own: the object itself, not a JAXBElement around it
        format.setIgnoreJAXBElement(true);
        return format;
    }

    private static void refuseDoctype(Exchange exchange) {
        String refusal = XmlAnswers.refusal(exchange.getProperty(ANSWER_BYTES, byte[].class));
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
    }

    /** The XML could not be read: the parser turns this into a malformed answer, or the error its status says. */
    private static void unreadable(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        exchange.getMessage().setBody(failure == null ? new UnreadableAnswer("unreadable") : UnreadableAnswer.of(failure));
    }
}
