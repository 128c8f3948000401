package io.github.ncpsnapshotbridge.httpapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.pipeline.RequestClaims;
import io.github.ncpsnapshotbridge.testsupport.OpenApiDocument;

/** A handover the idempotency store cannot make now: 503 with Retry-After, in the document's problem shape. */
class SubmissionsTest {

    @Test
    void aClaimTheStoreCannotMakeNowIsA503WithRetryAfter() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.setProperty(Submissions.ACCEPTANCE, new RequestClaims.Acceptance(List.of(),
                    new UncheckedIOException("the journal cannot be forced", new java.io.IOException("No space left on device"))));
            ApiProblem problem = assertThrows(ApiProblem.class, () -> Submissions.answer(exchange));
            problem.answer(exchange);
            assertEquals(503, exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
            assertEquals("5", exchange.getMessage().getHeader("Retry-After"));
            String body = exchange.getMessage().getBody(String.class);
            assertTrue(body.contains("send them again"), body);
            assertEquals(Set.of(), OpenApiDocument.problems("POST", "/api/v1/snapshot-requests", 503, body));
        }
    }
}
