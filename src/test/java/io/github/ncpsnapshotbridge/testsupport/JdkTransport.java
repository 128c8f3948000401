package io.github.ncpsnapshotbridge.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.github.ncpsnapshotbridge.ncp.HttpReply;
import io.github.ncpsnapshotbridge.ncp.NcpTransport;
import io.github.ncpsnapshotbridge.ncp.SignedCall;

/**
 * For tests of the {@code ncp} package alone, without the application: the JDK's HTTP client carries each call as
 * signed, and the answer is read as the application reads it ({@link Answers}).
 */
public final class JdkTransport implements NcpTransport {

    private final HttpClient client;
    private final Duration readTimeout;

    public JdkTransport(Duration connectTimeout, Duration readTimeout) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        this.readTimeout = readTimeout;
    }

    @Override
    public HttpReply send(SignedCall call) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(call.url())).timeout(readTimeout).GET();
        call.headers().forEach(request::header);
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpReply read = Answers.read(call.platform(), response.statusCode(), response.body());
        return new HttpReply(read.status(), read.body(), response.headers().firstValue("Retry-After").orElse(null),
                read.answer());
    }
}
