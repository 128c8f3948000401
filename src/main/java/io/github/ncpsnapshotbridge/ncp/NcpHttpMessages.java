package io.github.ncpsnapshotbridge.ncp;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;

/** The two ends of the HTTP route: a signed call onto the message, and the response off it. */
@ApplicationScoped
public class NcpHttpMessages {

    /** Leaves only what the HTTP producer should send on the message: every header left would go out too. */
    public void toMessage(SignedCall call, Exchange exchange) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(null);
        // the enum itself: a String would be converted on every call, through the slow path of the type converters
        message.setHeader(Exchange.HTTP_METHOD, HttpMethods.GET);
        message.setHeader(Exchange.HTTP_URI, call.url());
        int q = call.rawPathAndQuery().indexOf('?');
        if (q >= 0) {
            message.setHeader(Exchange.HTTP_RAW_QUERY, call.rawPathAndQuery().substring(q + 1));
        }
        for (Map.Entry<String, String> header : call.headers().entrySet()) {
            message.setHeader(header.getKey(), header.getValue());
        }
    }

    public HttpReply toReply(Exchange exchange) {
        Message message = exchange.getMessage();
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return new HttpReply(status == null ? 0 : status, message.getBody(byte[].class),
                message.getHeader("Retry-After", String.class));
    }
}
