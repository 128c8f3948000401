package io.github.ncpsnapshotbridge.httpapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;

import io.github.ncpsnapshotbridge.pipeline.RequestClaims;
import io.github.ncpsnapshotbridge.pipeline.SnapshotPipelineRoute;
import io.github.ncpsnapshotbridge.settings.BridgeConfig;

/**
 * The HTTP API (docs/http-api.md), with Camel's REST DSL on the application's HTTP port (platform-http), when
 * {@code BRIDGE_HTTP_ENABLED=true}: requests in, and what became of them. Its OpenAPI document
 * ({@code src/main/resources/openapi/http-api.yaml}) is served as written at {@link #OPENAPI}; a test holds it and these
 * routes to each other.
 */
@ApplicationScoped
public class HttpApiRoute extends RouteBuilder {

    public static final String OPENAPI = "/api/v1/openapi.yaml";
    static final String OPENAPI_RESOURCE = "/openapi/http-api.yaml";
    static final String SUBMIT = "direct:http-submit";
    static final String STATUS = "direct:http-status";

    private final BridgeConfig config;
    private final ApiTokens tokens;
    private final Submissions submissions;
    private final RequestClaims claims;
    private final RequestStatuses statuses;

    public HttpApiRoute(BridgeConfig config, ApiTokens tokens, Submissions submissions, RequestClaims claims,
            RequestStatuses statuses) {
        this.config = config;
        this.tokens = tokens;
        this.submissions = submissions;
        this.claims = claims;
        this.statuses = statuses;
    }

    @Override
    public void configure() {
        if (!config.http().enabled()) {
            return;
        }
        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);

        // every failure answers as application/problem+json: 400, 401, 404, 413, 415, 503 as the call deserves
        onException(Exception.class).handled(true).process(ApiProblem::answerFailure);

        rest(Submissions.PATH)
                // the content type is checked by the route, so that a wrong one gets its problem document (415)
                .post().produces("application/json").to(SUBMIT)
                .get("/{requestId}").produces("application/json").to(STATUS);
        rest("/api/v1")
                .get("/openapi.yaml").produces("application/yaml").to("direct:http-openapi");

        // read and check every request (400, 413, 415: nothing handed over); claim each, durably; hand each on to be
        // created (or its duplicate published) on an exchange of its own; then 202
        from(SUBMIT).routeId("http-submit")
                .process(tokens::authenticate)
                .setBody(method(submissions, "read"))
                .bean(claims, "acceptNow(${body}, ${exchangeProperty." + Submissions.INPUTS + "})")
                .setProperty(Submissions.ACCEPTANCE, body())
                .split(simple("${body.next()}"))
                    .wireTap(SnapshotPipelineRoute.FINISH_ACCEPTED).end() // the wire tap's end; the split's follows
                .end()
                .process(Submissions::answer);

        from(STATUS).routeId("http-status")
                .process(tokens::authenticate)
                .process(statuses::answer);

        byte[] document = openApiDocument();
        from("direct:http-openapi").routeId("http-openapi")
                .removeHeaders("*")
                .setHeader(Exchange.CONTENT_TYPE, constant("application/yaml"))
                .setBody(constant(document));
    }

    static byte[] openApiDocument() {
        try (InputStream in = HttpApiRoute.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the application");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
