package io.github.ncpsnapshotbridge.ncp;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Message;

import io.github.ncpsnapshotbridge.events.BridgeEvent;
import io.github.ncpsnapshotbridge.events.EventFactory;
import io.github.ncpsnapshotbridge.idempotency.InFlightCheck;
import io.github.ncpsnapshotbridge.pipeline.SnapshotRequest;

/**
 * The steps of the NCP call route: sign and set up the GET, then turn the answer, or the reason there was none,
 * into the request's event.
 */
@ApplicationScoped
@Named("ncpCallSteps")
public class NcpCallSteps {

    public static final String REQUEST = "bridgeRequest";
    public static final String ATTEMPTS = "bridgeAttempts";

    private final CredentialsStore credentials;
    private final NcpCallFactory calls;
    private final NcpResponseParser parser;
    private final EventFactory events;

    public NcpCallSteps(CredentialsStore credentials, NcpCallFactory calls, NcpResponseParser parser, EventFactory events) {
        this.credentials = credentials;
        this.calls = calls;
        this.parser = parser;
        this.events = events;
    }

    /** Signs the call for this moment and leaves only what the HTTP producer should send on the message. */
    public void prepare(Exchange exchange) {
        SnapshotRequest request = exchange.getProperty(REQUEST, SnapshotRequest.class);
        NcpCredentials account = credentials.require(request.account());
        SignedCall call = calls.prepare(NcpCallFactory.CREATE_SNAPSHOT,
                NcpCallFactory.createSnapshotParameters(request.blockStorageInstanceNo(),
                        SnapshotNames.forRequest(request.blockStorageSnapshotName(), request.requestId()),
                        request.blockStorageSnapshotDescription()),
                account);
        exchange.setProperty(ATTEMPTS, exchange.getProperty(ATTEMPTS, 0, Integer.class) + 1);
        onMessage(exchange, call);
    }

    /** Signs a look-up of the snapshots of the request's volume. */
    public void prepareFind(InFlightCheck check, Exchange exchange) {
        SnapshotRequest request = check.request();
        exchange.setProperty(REQUEST, request);
        NcpCredentials account = credentials.require(request.account());
        onMessage(exchange, calls.prepare(NcpCallFactory.LIST_SNAPSHOTS,
                NcpCallFactory.listSnapshotParameters(request.blockStorageInstanceNo()), account));
    }

    /**
     * The {@code created} event of the snapshot an earlier run created for this request, or the request itself when
     * NCP has none of that name: then it was never created and may be now.
     */
    public Object found(@ExchangeProperty(REQUEST) SnapshotRequest request,
            @Header(Exchange.HTTP_RESPONSE_CODE) Integer status, byte[] body) {
        String name = SnapshotNames.forRequest(request.blockStorageSnapshotName(), request.requestId());
        return parser.parseSnapshotList(status == null ? 0 : status, body).stream()
                .filter(s -> name.equals(s.getBlockStorageSnapshotName())
                        && request.blockStorageInstanceNo().equals(s.getOriginalBlockStorageInstanceNo()))
                .findFirst()
                .<Object>map(s -> events.created(request, 1, new NcpOutcome.Created(null, "0", "found after restart", s)))
                .orElse(request);
    }

    private static void onMessage(Exchange exchange, SignedCall call) {
        Message message = exchange.getMessage();
        // every header left on the message would go out as an HTTP header
        message.removeHeaders("*");
        message.setBody(null);
        message.setHeader(Exchange.HTTP_METHOD, "GET");
        message.setHeader(Exchange.HTTP_URI, call.url());
        int q = call.rawPathAndQuery().indexOf('?');
        if (q >= 0) {
            message.setHeader(Exchange.HTTP_RAW_QUERY, call.rawPathAndQuery().substring(q + 1));
        }
        for (Map.Entry<String, String> header : call.headers().entrySet()) {
            message.setHeader(header.getKey(), header.getValue());
        }
    }

    public BridgeEvent answered(@ExchangeProperty(REQUEST) SnapshotRequest request,
            @ExchangeProperty(ATTEMPTS) Integer attempts,
            @Header(Exchange.HTTP_RESPONSE_CODE) Integer status, byte[] body) {
        NcpOutcome outcome = parser.parseCreateSnapshot(status == null ? 0 : status, body);
        int tries = attempts == null ? 1 : attempts;
        if (outcome instanceof NcpOutcome.Created created) {
            return events.created(request, tries, created);
        }
        return events.failed(request, tries, ((NcpOutcome.Failed) outcome).error());
    }

    public BridgeEvent unanswered(@ExchangeProperty(REQUEST) SnapshotRequest request,
            @ExchangeProperty(ATTEMPTS) Integer attempts,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause) {
        return events.failed(request, attempts == null ? 0 : attempts, errorOf(cause));
    }

    /** The category of a call that got no answer, or was never sent. */
    public static NcpError errorOf(Throwable cause) {
        Throwable root = cause;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof UnknownAccountException || t instanceof SocketTimeoutException
                    || t instanceof ConnectException || t instanceof UnknownHostException) {
                root = t;
                break;
            }
            root = t;
        }
        if (root instanceof UnknownAccountException) {
            return new NcpError(null, null, root.getMessage(), ErrorCategory.AUTH);
        }
        if (root instanceof SocketTimeoutException || root.getClass().getSimpleName().contains("Timeout")) {
            return new NcpError(null, null, "no answer from NCP in time: " + root.getMessage(), ErrorCategory.TIMEOUT);
        }
        if (root instanceof ConnectException || root instanceof UnknownHostException || root instanceof IOException) {
            return new NcpError(null, null, "cannot reach NCP: " + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : ": " + root.getMessage()), ErrorCategory.SERVER);
        }
        return new NcpError(null, null, "the call could not be made: " + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage()), ErrorCategory.SERVER);
    }
}
