package io.github.ncpsnapshotbridge.testsupport;

import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

import io.github.ncpsnapshotbridge.ncp.HttpReply;
import io.github.ncpsnapshotbridge.ncp.Platform;
import io.github.ncpsnapshotbridge.ncp.NcpCallMetrics;
import io.github.ncpsnapshotbridge.ncpcall.NcpCallRoute;

/**
 * An answer's bytes read the way the application reads every NCP answer: through the {@link NcpCallRoute}'s
 * camel-jaxb step, in a Camel context of the tests' own (started once, for the whole test run).
 */
public final class Answers {

    private static final ProducerTemplate TEMPLATE = start();

    private Answers() {
    }

    private static ProducerTemplate start() {
        try {
            CamelContext camel = new DefaultCamelContext();
            camel.addRoutes(new NcpCallRoute(Duration.ofSeconds(1), Duration.ofSeconds(2), 2, NcpCallMetrics.NONE));
            camel.start();
            Runtime.getRuntime().addShutdownHook(new Thread(camel::stop));
            return camel.createProducerTemplate();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the Camel context that reads answers", e);
        }
    }

    /** A reply of {@code status} with {@code body}, read with {@code platform}'s model. */
    public static HttpReply read(Platform platform, int status, byte[] body) {
        Exchange done = TEMPLATE.send(NcpCallRoute.READ_ANSWER, exchange -> {
            exchange.setProperty(NcpCallRoute.PLATFORM, platform);
            exchange.getMessage().setBody(body);
        });
        if (done.getException() != null) {
            throw new IllegalStateException(done.getException());
        }
        Object read = done.getMessage().getBody();
        return new HttpReply(status, body, null, read instanceof byte[] ? null : read);
    }
}
