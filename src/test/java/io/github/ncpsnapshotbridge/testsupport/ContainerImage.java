package io.github.ncpsnapshotbridge.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** What the container image ({@code src/main/docker/Dockerfile.jvm}) gives the bridge, for tests that run it alike. */
public final class ContainerImage {

    public static final Path DOCKERFILE = Path.of("src", "main", "docker", "Dockerfile.jvm");
    public static final Path AOT_TRAINING = Path.of("src", "main", "docker", "aot-training.sh");
    /** The Java feature release the image runs, and the first that has the AOT cache the image is built with. */
    public static final int JAVA_RELEASE = 25;

    private ContainerImage() {
    }

    /**
     * The {@code -XX:} options of the image's first {@code JAVA_OPTS_APPEND} (the later one only adds the AOT cache,
     * which a test makes for itself).
     */
    public static List<String> jvmOptions() {
        try {
            for (String line : Files.readAllLines(DOCKERFILE)) {
                int at = line.indexOf("JAVA_OPTS_APPEND=\"");
                if (line.startsWith("ENV ") && at >= 0) {
                    int start = at + "JAVA_OPTS_APPEND=\"".length();
                    return Arrays.stream(line.substring(start, line.indexOf('"', start)).split(" "))
                            .filter(o -> o.startsWith("-XX:")).toList();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no JAVA_OPTS_APPEND in " + DOCKERFILE);
    }

    /**
     * A JDK of the image's release or later: the one named by {@code -Daot.javaHome}, the one running the tests, or
     * one installed beside it (as distributions install several JDKs in one folder); empty when there is none.
     */
    public static Optional<Path> jdk() {
        String named = System.getProperty("aot.javaHome");
        if (named != null && !named.isBlank()) {
            return Optional.of(Path.of(named)).filter(ContainerImage::fits);
        }
        Path running = Path.of(System.getProperty("java.home"));
        if (fits(running)) {
            return Optional.of(running);
        }
        Path parent = running.toAbsolutePath().getParent();
        if (parent == null) {
            return Optional.empty();
        }
        try (Stream<Path> siblings = Files.list(parent)) {
            return siblings.filter(ContainerImage::fits).sorted().findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Has {@code bin/java} and a {@code release} file saying JAVA_VERSION of the image's release or later. */
    private static boolean fits(Path home) {
        Path release = home.resolve("release");
        if (!Files.isExecutable(home.resolve("bin").resolve("java")) || !Files.isRegularFile(release)) {
            return false;
        }
        try {
            return Files.readAllLines(release).stream().filter(l -> l.startsWith("JAVA_VERSION="))
                    .map(l -> l.substring("JAVA_VERSION=".length()).replace("\"", ""))
                    .map(v -> v.split("[.+-]")[0])
                    .anyMatch(major -> major.matches("\\d+") && Integer.parseInt(major) >= JAVA_RELEASE);
        } catch (IOException e) {
            return false;
        }
    }
}
