package io.github.ncpsnapshotbridge.httpapi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.camel.Exchange;
import org.jboss.logging.Logger;

import io.github.ncpsnapshotbridge.settings.BridgeConfig;

/**
 * The bearer tokens the HTTP API accepts: the lines of {@code BRIDGE_HTTP_TOKENS_FILE} (a mounted Secret), read again
 * when the file changes (checked at most once a second). A presented token is compared with every listed one in time
 * that does not depend on where they differ. Tokens are never logged. Without a tokens file (allowed outside the prod
 * profile only) every call is let in.
 */
@ApplicationScoped
public class ApiTokens {

    private static final Logger LOG = Logger.getLogger(ApiTokens.class);
    private static final long CHECK_EVERY_NANOS = 1_000_000_000L;
    private static final String BEARER = "Bearer ";

    private final Optional<Path> file;
    private volatile Loaded loaded = new Loaded(null, -1, List.of(), Long.MIN_VALUE);

    /** The digests of the tokens listed, and what the file looked like when they were read. */
    private record Loaded(FileTime modified, long size, List<byte[]> digests, long checkedNanos) {
    }

    @Inject
    public ApiTokens(BridgeConfig config) {
        this(config.http().tokensFile());
    }

    public ApiTokens(Optional<Path> file) {
        this.file = file;
        if (file.isEmpty()) {
            LOG.warn("The HTTP API takes calls without a token: BRIDGE_HTTP_TOKENS_FILE is not set");
        }
    }

    /** Lets the call on {@code exchange} in, or answers it 401. */
    public void authenticate(Exchange exchange) {
        if (!accepts(exchange.getMessage().getHeader("Authorization", String.class))) {
            throw ApiProblem.unauthorized();
        }
    }

    /** Whether {@code authorization} (the header's value) carries a listed token. */
    public boolean accepts(String authorization) {
        if (file.isEmpty()) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] presented = digest(authorization.substring(BEARER.length()).trim());
        boolean match = false;
        for (byte[] token : current().digests()) {
            // every listed token is compared, whichever matches
            match |= MessageDigest.isEqual(presented, token);
        }
        return match;
    }

    private Loaded current() {
        Loaded now = loaded;
        long ticks = System.nanoTime();
        if (ticks - now.checkedNanos() < CHECK_EVERY_NANOS && now.checkedNanos() != Long.MIN_VALUE) {
            return now;
        }
        synchronized (this) {
            now = loaded;
            if (ticks - now.checkedNanos() < CHECK_EVERY_NANOS && now.checkedNanos() != Long.MIN_VALUE) {
                return now;
            }
            Path path = file.get();
            try {
                FileTime modified = Files.getLastModifiedTime(path);
                long size = Files.size(path);
                if (modified.equals(now.modified()) && size == now.size()) {
                    loaded = new Loaded(modified, size, now.digests(), ticks);
                } else {
                    List<byte[]> digests = new ArrayList<>();
                    for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                        if (!line.isBlank()) {
                            digests.add(digest(line.trim()));
                        }
                    }
                    if (digests.isEmpty()) {
                        LOG.warnf("The HTTP API's tokens file %s lists no token: every call is refused", path);
                    } else if (now.modified() != null) {
                        LOG.infof("The HTTP API's tokens file changed: %d token(s) accepted now", digests.size());
                    }
                    loaded = new Loaded(modified, size, List.copyOf(digests), ticks);
                }
            } catch (IOException e) {
                LOG.warnf("Cannot read the HTTP API's tokens file %s (%s): every call is refused until it can be read",
                        path, e.getClass().getSimpleName());
                loaded = new Loaded(null, -1, List.of(), ticks);
            }
            return loaded;
        }
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
