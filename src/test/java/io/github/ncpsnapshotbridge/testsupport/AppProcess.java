package io.github.ncpsnapshotbridge.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application ({@code target/ncp-snapshot-bridge-runner.jar}, prod profile) as a separate process,
 * configured only through environment variables, as an operator runs it. Its output goes to a file.
 */
public final class AppProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "ncp-snapshot-bridge-runner.jar");

    private static final java.net.http.HttpClient SCRAPER = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).build();

    private final Process process;
    private final Path output;
    private final Path errors;

    private AppProcess(Process process, Path output, Path errors) {
        this.process = process;
        this.output = output;
        this.errors = errors;
    }

    /** Starts the jar in {@code workDir}; no NCP_*, BRIDGE_*, KAFKA_* or AMQP_* variable is inherited. */
    public static AppProcess start(Path workDir, Map<String, String> env) throws IOException {
        return start(workDir, env, Path.of(System.getProperty("java.home")), List.of());
    }

    /** The same, on the JDK in {@code javaHome} and with these JVM options. */
    public static AppProcess start(Path workDir, Map<String, String> env, Path javaHome, List<String> jvmOptions)
            throws IOException {
        Files.createDirectories(workDir);
        Path output = Files.createTempFile(workDir, "app-", ".log");
        Path errors = Files.createTempFile(workDir, "app-", ".err");
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dquarkus.http.port=0", "-jar", JAR.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(output.toFile()).redirectError(errors.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("NCP_") || k.startsWith("BRIDGE_")
                || k.startsWith("KAFKA_") || k.startsWith("AMQP_"));
        builder.environment().putAll(env);
        return new AppProcess(builder.start(), output, errors);
    }

    /** Waits for the process to end by itself; null if it is still running after {@code seconds}. */
    public Integer waitForExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : null;
    }

    /**
     * SIGTERM, as Kubernetes stops a pod, then waits up to {@code seconds} for the process to end by itself. Returns
     * its exit code, or null when it had not ended (it is not killed here: a graceful stop is what is being tested).
     */
    public Integer terminate(long seconds) throws InterruptedException {
        process.destroy();
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : null;
    }

    /** SIGKILL: no shutdown hook, no graceful stop, as when a node dies. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** CPU time the process has used so far, all its threads, user and system (zero where the OS does not say). */
    public Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /**
     * CPU time the JIT compiler threads have used so far (Linux: the threads named {@code C1/C2 CompilerThread} in
     * {@code /proc}); empty where it cannot be read.
     */
    public Optional<Duration> compilerCpuTime() {
        Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
        if (!Files.isDirectory(tasks)) {
            return Optional.empty();
        }
        long ticks = 0;
        try (var threads = Files.list(tasks)) {
            for (Path task : threads.toList()) {
                try {
                    if (!Files.readString(task.resolve("comm")).matches("(?s)C[12] CompilerThre.*")) {
                        continue;
                    }
                    String stat = Files.readString(task.resolve("stat"));
                    // the fields after the command name in parentheses: utime and stime are the 12th and 13th
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        // Linux counts these in clock ticks of 1/100 s on every common platform (USER_HZ)
        return Optional.of(Duration.ofMillis(ticks * 10));
    }

    /** Resident memory of the process now, in bytes (Linux: VmRSS); empty where it cannot be read. */
    public Optional<Long> residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Optional.of(Long.parseLong(line.replaceAll("\\D", "")) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or gone
        }
        return Optional.empty();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What the process wrote so far: standard output, then standard error. */
    public String output() {
        return read(output) + read(errors);
    }

    /** What the process wrote to standard error alone. */
    public String errors() {
        return read(errors);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The HTTP port the app listens on, from its start-up line; empty until it has started. */
    public Optional<Integer> httpPort() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Listening on: http://[^:\\s]+:(\\d+)").matcher(output());
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    /**
     * The sum of a Prometheus metric's samples on the app's {@code /q/metrics} (0 when it has none yet), read over
     * HTTP/1.1 as scrapers do, within 10 s. The JDK client's default first offers an upgrade to cleartext HTTP/2; against
     * the app that send now and then never returns, not even at its own timeout (one in about 40 to 90 fresh clients
     * here, on Java 17), and a test then waited out its whole minute on it.
     */
    public double metric(String name) throws IOException, InterruptedException {
        String body = SCRAPER.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + httpPort().orElseThrow() + "/q/metrics")).timeout(Duration.ofSeconds(10)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
