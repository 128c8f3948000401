package io.github.ncpsnapshotbridge.ncpcall;

import java.net.URI;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;

import io.github.ncpsnapshotbridge.ncp.HttpReply;
import io.github.ncpsnapshotbridge.ncp.NcpTransport;
import io.github.ncpsnapshotbridge.ncp.SignedCall;

/** Hands each signed call to the {@link NcpCallRoute} on an exchange of its own, and reads the answer off it. */
public class CamelNcpTransport implements NcpTransport {

    private final ProducerTemplate template;

    public CamelNcpTransport(ProducerTemplate template) {
        this.template = template;
    }

    @Override
    public HttpReply send(SignedCall call) throws Exception {
        URI target = URI.create(call.url());
        String query = target.getRawQuery();
        String base = query == null ? call.url() : call.url().substring(0, call.url().length() - query.length() - 1);
        Exchange done = template.send(NcpCallRoute.CALL, exchange -> {
            exchange.setProperty(NcpCallRoute.PLATFORM, call.platform());
            Message message = exchange.getMessage();
            message.setHeader(Exchange.HTTP_METHOD, "GET");
            message.setHeader(Exchange.HTTP_URI, base);
            if (query != null) {
                message.setHeader(Exchange.HTTP_RAW_QUERY, query);
            }
            call.headers().forEach(message::setHeader);
        });
        if (done.getException() != null) {
            throw done.getException();
        }
        Message answer = done.getMessage();
        byte[] bytes = done.getProperty(NcpCallRoute.ANSWER_BYTES, byte[].class);
        Object read = answer.getBody();
        return new HttpReply(answer.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class),
                bytes == null ? new byte[0] : bytes, answer.getHeader("Retry-After", String.class),
                read instanceof byte[] ? null : read);
    }
}
