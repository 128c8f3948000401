package io.github.ncpsnapshotbridge.ncp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.github.ncpsnapshotbridge.settings.BridgeConfig;
import io.github.ncpsnapshotbridge.settings.NcpConfig;

/**
 * Resolves an account alias to its key pair. Account {@code default} comes from {@code NCP_ACCESS_KEY} /
 * {@code NCP_SECRET_KEY}; every account may also live in the credentials folder, either as
 * {@code <dir>/<alias>/{access-key,secret-key}} or as {@code <dir>/<alias>-access-key} and {@code <dir>/<alias>-secret-key}
 * (what a whole Kubernetes Secret with keys {@code <alias>-access-key}, {@code <alias>-secret-key} looks like when
 * mounted). Files are re-read as soon as their time stamp or size changes, so a rotated Secret takes effect without
 * a restart.
 */
@ApplicationScoped
public class CredentialsStore {

    public static final String DEFAULT_ACCOUNT = "default";
    /** Aliases are folder names: no separators, no "..", so a request cannot point outside the folder. */
    public static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");
    static final String ACCESS_KEY = "access-key";
    static final String SECRET_KEY = "secret-key";
    static final String PLATFORM = "platform";

    private final Optional<NcpCredentials> fromEnvironment;
    private final Optional<Path> credentialsDir;
    private final Map<String, CachedPair> cache = new ConcurrentHashMap<>();
    private final Map<Path, CachedPlatform> platforms = new ConcurrentHashMap<>();

    @Inject
    public CredentialsStore(NcpConfig ncp, BridgeConfig bridge) {
        this(ncp.accessKey().filter(s -> !s.isBlank()).isPresent() && ncp.secretKey().filter(s -> !s.isBlank()).isPresent()
                ? Optional.of(new NcpCredentials(ncp.accessKey().get().trim(), ncp.secretKey().get().trim()))
                : Optional.empty(),
                bridge.credentialsDir());
    }

    public CredentialsStore(Optional<NcpCredentials> fromEnvironment, Optional<Path> credentialsDir) {
        this.fromEnvironment = fromEnvironment;
        this.credentialsDir = credentialsDir;
    }

    /** What a request naming an account without keys is told. */
    public static String unknownAccount(String account) {
        return "no credentials for account '" + account + "'";
    }

    public Optional<NcpCredentials> find(String account) {
        if (account == null || !ALIAS.matcher(account).matches()) {
            return Optional.empty();
        }
        if (DEFAULT_ACCOUNT.equals(account) && fromEnvironment.isPresent()) {
            return fromEnvironment;
        }
        return credentialsDir.flatMap(dir -> inFolder(dir, account).or(() -> flat(dir, account)));
    }

    /**
     * The platform an account's folder names ({@code <dir>/<alias>/platform} or {@code <dir>/<alias>-platform}: a
     * file holding {@code classic} or {@code vpc}), as written; empty when there is none.
     */
    public Optional<String> platformOf(String account) {
        if (credentialsDir.isEmpty() || account == null || !ALIAS.matcher(account).matches()) {
            return Optional.empty();
        }
        Path dir = credentialsDir.get();
        for (Path file : new Path[] {dir.resolve(account).resolve(PLATFORM), dir.resolve(account + "-" + PLATFORM)}) {
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(file, BasicFileAttributes.class);
            } catch (IOException e) {
                continue;
            }
            if (!attributes.isRegularFile()) {
                continue;
            }
            // read again only when the file changed, like the keys: this is asked for every request
            CachedPlatform cached = platforms.get(file);
            if (cached != null && cached.modified().equals(attributes.lastModifiedTime())
                    && cached.size() == attributes.size()) {
                return Optional.of(cached.platform());
            }
            String platform;
            try {
                platform = attributes.size() > 64 ? "(a file of " + attributes.size() + " bytes)"
                        : Files.readString(file, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the platform of account '" + account + "'", e);
            }
            platforms.put(file, new CachedPlatform(attributes.lastModifiedTime(), attributes.size(), platform));
            return Optional.of(platform);
        }
        return Optional.empty();
    }

    /** All key pairs known right now, for the simulator that must recognise any of them. */
    public Optional<NcpCredentials> findByAccessKey(String accessKey) {
        if (fromEnvironment.isPresent() && fromEnvironment.get().accessKey().equals(accessKey)) {
            return fromEnvironment;
        }
        if (credentialsDir.isEmpty() || !Files.isDirectory(credentialsDir.get())) {
            return Optional.empty();
        }
        Path dir = credentialsDir.get();
        try (var entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString())
                    .map(name -> name.endsWith("-" + ACCESS_KEY)
                            ? flat(dir, name.substring(0, name.length() - ACCESS_KEY.length() - 1))
                            : inFolder(dir, name))
                    .flatMap(Optional::stream)
                    .filter(c -> c.accessKey().equals(accessKey)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Optional<NcpCredentials> inFolder(Path dir, String alias) {
        if (!ALIAS.matcher(alias).matches()) {
            return Optional.empty();
        }
        Path accountDir = dir.resolve(alias);
        return fromFiles(alias, accountDir.resolve(ACCESS_KEY), accountDir.resolve(SECRET_KEY));
    }

    private Optional<NcpCredentials> flat(Path dir, String alias) {
        if (!ALIAS.matcher(alias).matches()) {
            return Optional.empty();
        }
        return fromFiles(alias, dir.resolve(alias + "-" + ACCESS_KEY), dir.resolve(alias + "-" + SECRET_KEY));
    }

    private Optional<NcpCredentials> fromFiles(String alias, Path access, Path secret) {
        if (!Files.isRegularFile(access) || !Files.isRegularFile(secret)) {
            return Optional.empty();
        }
        try {
            Stamp stamp = new Stamp(Files.getLastModifiedTime(access), Files.size(access),
                    Files.getLastModifiedTime(secret), Files.size(secret));
            String key = access.toString();
            CachedPair cached = cache.get(key);
            if (cached != null && cached.stamp.equals(stamp)) {
                return Optional.of(cached.credentials);
            }
            String accessKey = Files.readString(access, StandardCharsets.UTF_8).trim();
            String secretKey = Files.readString(secret, StandardCharsets.UTF_8).trim();
            if (accessKey.isEmpty() || secretKey.isEmpty()) {
                return Optional.empty();
            }
            NcpCredentials credentials = new NcpCredentials(accessKey, secretKey);
            cache.put(key, new CachedPair(stamp, credentials));
            return Optional.of(credentials);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // unreadable key files: treat as unknown, the file name (never the content) goes into the message
            throw new UncheckedIOException("cannot read the credentials of account '" + alias + "'", e);
        }
    }

    private record Stamp(FileTime accessModified, long accessSize, FileTime secretModified, long secretSize) {
    }

    private record CachedPlatform(FileTime modified, long size, String platform) {
    }

    private record CachedPair(Stamp stamp, NcpCredentials credentials) {
    }
}
