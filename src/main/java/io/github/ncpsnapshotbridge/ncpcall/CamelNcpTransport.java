package io.github.ncpsnapshotbridge.ncpcall;

import org.apache.camel.ProducerTemplate;

import io.github.ncpsnapshotbridge.ncp.HttpReply;
import io.github.ncpsnapshotbridge.ncp.NcpTransport;
import io.github.ncpsnapshotbridge.ncp.SignedCall;

/** Hands each signed call to the {@link NcpCallRoute} on an exchange of its own, for a caller with a thread to wait. */
public class CamelNcpTransport implements NcpTransport {

    private final ProducerTemplate template;

    public CamelNcpTransport(ProducerTemplate template) {
        this.template = template;
    }

    @Override
    public HttpReply send(SignedCall call) throws Exception {
        var done = template.send(NcpCallRoute.CALL, exchange -> exchange.getMessage().setBody(call));
        if (done.getException() != null) {
            throw done.getException();
        }
        return done.getMessage().getBody(HttpReply.class);
    }
}
