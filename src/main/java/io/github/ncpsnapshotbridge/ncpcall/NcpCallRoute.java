package io.github.ncpsnapshotbridge.ncpcall;

import java.net.URI;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.converter.jaxb.JaxbDataFormat;

import io.github.ncpsnapshotbridge.ncp.HttpReply;
import io.github.ncpsnapshotbridge.ncp.NcpCallMetrics;
import io.github.ncpsnapshotbridge.ncp.Platform;
import io.github.ncpsnapshotbridge.ncp.SignedCall;
import io.github.ncpsnapshotbridge.ncp.UnreadableAnswer;
import io.github.ncpsnapshotbridge.ncp.XmlAnswers;
import io.github.ncpsnapshotbridge.settings.BridgeConfig;

/**
 * Every call to NCP leaves here: a {@link SignedCall} in, an {@link HttpReply} out. The call is a GET through
 * camel-http, and its answer is read through camel-jaxb with the platform's model. The endpoint is static; each call's
 * target travels in Camel's HTTP headers ({@code CamelHttpUri}, and the query, raw, in {@code CamelHttpRawQuery}), so
 * that the bytes sent are exactly the bytes signed; no other header of the exchange goes out. The client has no
 * retries, no redirects, no cookies and no content decoding ({@code camel.component.http.*} in
 * application.properties); its timeouts and pool come from the bridge's NCP settings, set on the component here.
 * Each call is measured ({@code bridge.ncp.call}, by action and status; status 0 when no answer came).
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
    private static final String SENT = "ncpCallSent";

    private final NcpCallMetrics metrics;

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int connections;

    @Inject
    public NcpCallRoute(BridgeConfig config, NcpCallMetrics metrics) {
        this(config.ncp().connectTimeout(), config.ncp().readTimeout(), config.ncp().maxConcurrentCalls(), metrics);
    }

    public NcpCallRoute(Duration connectTimeout, Duration readTimeout, int maxConcurrentCalls, NcpCallMetrics metrics) {
        this.metrics = metrics;
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
                .process(NcpCallRoute::address)
                .doTry()
                    // every status comes back as an answer: the caller decides what a 4xx, a 429 or a 5xx means
                    .to("http://ncp-api?throwExceptionOnFailure=false")
                    .convertBodyTo(byte[].class)
                    .to(READ_ANSWER)
                    .process(NcpCallRoute::reply)
                .doFinally()
                    .process(this::measure)
                .end();

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

    /** The signed call's target and headers, exactly as signed; nothing else the exchange carries goes to NCP. */
    private static void address(Exchange exchange) {
        SignedCall call = exchange.getMessage().getBody(SignedCall.class);
        exchange.setProperty(SENT, new Sent(call.action(), System.nanoTime()));
        exchange.setProperty(PLATFORM, call.platform());
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(null);
        String query = URI.create(call.url()).getRawQuery();
        message.setHeader(Exchange.HTTP_METHOD, "GET");
        message.setHeader(Exchange.HTTP_URI,
                query == null ? call.url() : call.url().substring(0, call.url().length() - query.length() - 1));
        if (query != null) {
            message.setHeader(Exchange.HTTP_RAW_QUERY, query);
        }
        call.headers().forEach(message::setHeader);
    }

    /** The answer as the caller sees it: status, bytes, Retry-After, and what camel-jaxb read. */
    private static void reply(Exchange exchange) {
        Message answer = exchange.getMessage();
        byte[] bytes = exchange.getProperty(ANSWER_BYTES, byte[].class);
        Object read = answer.getBody();
        answer.setBody(new HttpReply(answer.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class),
                bytes == null ? new byte[0] : bytes, answer.getHeader("Retry-After", String.class),
                read instanceof byte[] ? null : read));
    }

    private void measure(Exchange exchange) {
        Sent sent = exchange.getProperty(SENT, Sent.class);
        Object body = exchange.getMessage().getBody();
        metrics.ncpCall(sent.action(), body instanceof HttpReply reply ? reply.status() : 0,
                Duration.ofNanos(System.nanoTime() - sent.atNanos()));
    }

    private record Sent(String action, long atNanos) {
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
