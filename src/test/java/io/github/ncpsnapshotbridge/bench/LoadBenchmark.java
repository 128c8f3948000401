package io.github.ncpsnapshotbridge.bench;

import static org.awaitility.Awaitility.await;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.imageio.ImageIO;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.ncp.NcpCallFactory;
import io.github.ncpsnapshotbridge.ncp.NcpCredentials;
import io.github.ncpsnapshotbridge.ncp.SignedCall;
import io.github.ncpsnapshotbridge.support.Json;
import io.github.ncpsnapshotbridge.testsupport.AppProcess;
import io.github.ncpsnapshotbridge.testsupport.ContainerImage;
import io.github.ncpsnapshotbridge.testsupport.Requests;
import io.github.ncpsnapshotbridge.testsupport.ArtemisBroker;
import io.github.ncpsnapshotbridge.testsupport.KafkaBroker;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;

/**
 * The project's end-to-end load benchmark (not part of {@code verify}; see docs/benchmarks.md for how to run it). The
 * packaged jar runs against an in-JVM Kafka broker, an embedded Artemis and the NCP stand-in on loopback:
 * <ol>
 * <li>Stand-in answering at once, rate ceiling lifted: requests/s through Kafka (in and out) at 1 to 16 requests at a
 * time, next to a plain Java HttpClient sending the same signed GETs to the same stand-in at the same concurrency, in
 * the same run; the ratio of the two. Between them, the same plain client inside a plain Kafka consumer and producer on
 * the same broker: what going through Kafka costs on this machine before anything the bridge adds.</li>
 * <li>Stand-in answering in 250 ms, default ceiling (10 calls/s) and settings: requests/s through Kafka, the drop
 * folder and AMQP 1.0, against the ceiling.</li>
 * </ol>
 * Rates are taken from the events' own {@code time} (first to last event). Results go to
 * {@code target/benchmarks/results.md} and {@code target/benchmarks/kafka-vs-raw.png}.
 */
class LoadBenchmark {

    private static final int[] CONCURRENCY = java.util.Arrays.stream(System.getProperty("bench.concurrency", "1,2,4,8,16")
            .split(",")).mapToInt(Integer::parseInt).toArray();
    /** Set to a file name to have the bridge record a Java Flight Recording of each run there (in its run folder). */
    private static final String JFR = System.getProperty("bench.jfr");
    private static final boolean SLOW_RUNS = Boolean.parseBoolean(System.getProperty("bench.slow", "true"));
    private static final boolean INSTANT_RUNS = Boolean.parseBoolean(System.getProperty("bench.instant", "true"));
    /**
     * Measured requests of each side at each concurrency (each of the plain client's three rounds, the plain pipeline,
     * the bridge): seconds of work for each, so that a lucky or unlucky fraction of a second does not decide.
     */
    private static final int INSTANT_REQUESTS = Integer.getInteger("bench.requests", 20000);
    /**
     * Completion tracking in the instant runs, off unless {@code -Dbench.completion=true}: the plain client only asks
     * for snapshots, and a status round over thousands of earlier snapshots falling inside a few seconds of measuring
     * or not would halve the rate or not. The 250 ms runs keep every default.
     */
    private static final boolean INSTANT_COMPLETION = Boolean.getBoolean("bench.completion");
    /**
     * Requests each side handles before the measured ones, unmeasured, so that both are compared with their code
     * compiled: the plain client and the plain pipeline in the load driver's JVM, which runs all along.
     */
    private static final int WARMUP = Integer.getInteger("bench.warmup", 20000);
    /**
     * Seconds each bridge works through warm-up requests before its measured ones (and at least {@link #WARMUP}
     * requests): a freshly started JVM compiles the request path with C2 for about the first minute of load (its
     * compiler threads took 40 % of its CPU in the first 45 s, 3 % after a minute, here); the measured phase should see
     * the bridge as it runs for days. The table says how much of the bridge's CPU its JIT still took while measured.
     */
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmupSeconds", 60);
    /**
     * After {@link #WARMUP_SECONDS}, warm-up goes on while the bridge's JIT compiler still took more than this share of
     * its CPU (percent) over the last warm-up batch (Linux only), up to {@link #MAX_WARMUP}.
     */
    private static final double SETTLED_JIT_SHARE = 3;
    private static final Duration MAX_WARMUP = Duration.ofMinutes(3);
    /** Warm-up requests are produced in batches of this many until the warm-up is over. */
    private static final int WARMUP_BATCH = 10000;
    /**
     * The bridge runs with the JVM options its container image gives it (the {@code -XX:} options of
     * {@code JAVA_OPTS_APPEND} in {@code src/main/docker/Dockerfile.jvm}), as it does in production;
     * {@code -Dbench.appJavaOpts=...} replaces them.
     */
    private static final String IMAGE_JVM_OPTIONS = String.join(" ", ContainerImage.jvmOptions());
    /**
     * The bridge runs on the Java release of its image when one is installed ({@code -Dbench.javaHome=...}, else
     * one beside the JDK running the benchmark), else on the JDK running the benchmark.
     */
    private static final Path APP_JAVA_HOME = Path.of(System.getProperty("bench.javaHome",
            ContainerImage.jdk().map(Path::toString).orElse(System.getProperty("java.home"))));
    private static final String ACCESS = "AKBENCH";
    private static final String SECRET = "sk-bench-" + UUID.randomUUID();

    private final StringBuilder report = new StringBuilder();

    @Test
    void run() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "test-runs", "bench-" + UUID.randomUUID())).toAbsolutePath();
        Path results = Files.createDirectories(Path.of("target", "benchmarks"));
        line("# Load benchmark, " + Instant.now().toString().substring(0, 10));
        line("");
        line("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
                + (Runtime.getRuntime().maxMemory() / (1 << 20)) + " MiB max heap of the load driver, Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ". Brokers, stand-in and load driver share the machine with the bridge.");
        line("The bridge runs on " + javaVersion(APP_JAVA_HOME) + " with the JVM options its image sets: `"
                + System.getProperty("bench.appJavaOpts", IMAGE_JVM_OPTIONS) + "`. The plain client and the plain "
                + "pipeline handle " + WARMUP + " requests unmeasured before their measured ones; each bridge handles "
                + "requests for " + WARMUP_SECONDS + " s (and at least " + WARMUP + ") before its measured ones. Each "
                + "measured phase is " + INSTANT_REQUESTS + " requests.");
        line("");
        try (KafkaBroker kafka = new KafkaBroker(work.resolve("kafka")); NcpFake ncp = new NcpFake()) {
            kafka.start();
            ncp.account(ACCESS, SECRET);
            ArtemisBroker artemis = new ArtemisBroker(work.resolve("artemis"));
            artemis.start();
            try {
                Map<Integer, double[]> sweep = new LinkedHashMap<>();
                line("## Stand-in answering at once, ceiling lifted: Kafka in and out vs a plain HTTP client");
                line("");
                line("Completion tracking " + (INSTANT_COMPLETION ? "on" : "off") + " in these runs. CPU per call of "
                        + "the client is that of the load driver's JVM (client, stand-in, idle brokers); the bridge's "
                        + "is its own process's, while its measured requests run, and the driver's beside it is what "
                        + "its JVM spent meanwhile (producing the requests, the brokers, the stand-in, reading the "
                        + "events). Machine busy: the share of all cores not idle then; JIT: the share of the bridge's "
                        + "CPU its compiler threads took then; RSS: the bridge's resident memory at the end (Linux "
                        + "only). Each bridge warms up for at least " + WARMUP_SECONDS + " s, and longer (up to "
                        + MAX_WARMUP.toSeconds() + " s) while its compiler still took over " + SETTLED_JIT_SHARE
                        + " % of its CPU in the last " + WARMUP_BATCH + " requests.");
                line("");
                line("| requests at a time | plain HttpClient (req/s) | plain Kafka pipeline (req/s) | its ratio "
                        + "| bridge, Kafka → Kafka (req/s) | ratio | bridge / plain Kafka pipeline "
                        + "| CPU per call: client and stand-in (ms) | CPU per request: bridge (ms) "
                        + "| CPU per request: driver (ms) | machine busy (%) | JIT (%) | RSS (MiB) | bridge warm-up (s) |");
                line("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
                for (int c : INSTANT_RUNS ? CONCURRENCY : new int[0]) {
                    // every side meets a stand-in as fresh as the others did (see NcpFake.forget)
                    ncp.forget();
                    rawClient(ncp, c, WARMUP);
                    // the client's rate swings from run to run as its JVM keeps compiling: the best of three rounds
                    Duration cpu = driverCpu();
                    double raw = Math.max(rawClient(ncp, c, INSTANT_REQUESTS),
                            Math.max(rawClient(ncp, c, INSTANT_REQUESTS), rawClient(ncp, c, INSTANT_REQUESTS)));
                    double rawCpu = driverCpu().minus(cpu).toNanos() / 1e6 / (3 * INSTANT_REQUESTS);
                    ncp.forget();
                    double plain = plainKafkaRun(kafka, ncp, c, WARMUP, INSTANT_REQUESTS);
                    ncp.forget();
                    double[] bridge = kafkaRun(kafka, ncp, work, c, WARMUP, WARMUP_SECONDS, INSTANT_REQUESTS, true);
                    sweep.put(c, new double[] {raw, bridge[0], plain});
                    line(String.format("| %d | %.0f | %.0f | %.2f | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %s | %s | %.0f |",
                            c, raw, plain, plain / raw, bridge[0], bridge[0] / raw, bridge[0] / plain, rawCpu, bridge[1],
                            bridge[2], orNa(bridge[3]), orNa(bridge[4]), orNa(bridge[5]), bridge[6]));
                }
                line("");
                if (sweep.size() > 1) {
                    chart(sweep, results.resolve("kafka-vs-raw.png"));
                }

                if (SLOW_RUNS) {
                    ncp.answerDelay(Duration.ofMillis(250));
                    line("## Stand-in answering in 250 ms, default ceiling (10 calls/s) and settings");
                    line("");
                    line("| channel | requests | req/s | share of the ceiling |");
                    line("| --- | --- | --- | --- |");
                    double k = kafkaRun(kafka, ncp, work, 0, 0, 0, 300, false)[0];
                    line(String.format("| Kafka | 300 | %.2f | %.2f |", k, k / 10));
                    double f = fileRun(ncp, work, 300);
                    line(String.format("| drop folder | 300 | %.2f | %.2f |", f, f / 10));
                    double a = amqpRun(artemis, ncp, work, 200);
                    line(String.format("| AMQP 1.0 | 200 | %.2f | %.2f |", a, a / 10));
                }
            } finally {
                artemis.close();
            }
        }
        Files.writeString(results.resolve("results.md"), report);
        System.out.println(report);
    }

    /** The {@code JAVA_VERSION} of a JDK's {@code release} file. */
    private static String javaVersion(Path javaHome) {
        try {
            return "Java " + Files.readAllLines(javaHome.resolve("release")).stream()
                    .filter(l -> l.startsWith("JAVA_VERSION=")).findFirst().orElse("?")
                    .replace("JAVA_VERSION=", "").replace("\"", "");
        } catch (java.io.IOException e) {
            return "Java (" + javaHome + ")";
        }
    }

    private static String orNa(double value) {
        return Double.isNaN(value) ? "n/a" : String.format("%.0f", value);
    }

    private void line(String text) {
        report.append(text).append('\n');
    }

    private static Map<String, String> env(NcpFake ncp, Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("NCP_API_URL", ncp.baseUrl());
        env.put("NCP_ACCESS_KEY", ACCESS);
        env.put("NCP_SECRET_KEY", SECRET);
        env.put("BRIDGE_INBOX_DIR", dir.resolve("inbox").toString());
        env.put("BRIDGE_OUTBOX_DIR", dir.resolve("outbox").toString());
        env.put("BRIDGE_IDEMPOTENCY_DIR", dir.resolve("idempotency").toString());
        env.put("QUARKUS_LOG_CATEGORY__IO_GITHUB_NCPSNAPSHOTBRIDGE_OUTCOME__LEVEL", "WARN");
        String javaOptions = System.getProperty("bench.appJavaOpts", IMAGE_JVM_OPTIONS)
                + (JFR == null ? "" : " -XX:StartFlightRecording=filename=" + dir.resolve(JFR) + ",settings=profile");
        if (!javaOptions.isBlank()) {
            env.put("JAVA_TOOL_OPTIONS", javaOptions.trim());
        }
        return env;
    }

    /** Concurrency 0: the bridge's defaults. */
    private static void lift(Map<String, String> env, int concurrency) {
        env.put("BRIDGE_WORKERS", Integer.toString(concurrency));
        env.put("BRIDGE_NCP_MAX_CONCURRENT_CALLS", Integer.toString(concurrency));
        env.put("BRIDGE_NCP_MAX_CALLS_PER_SECOND", "1000000");
        env.put("BRIDGE_KAFKA_MAX_POLL_RECORDS", "500");
        env.put("BRIDGE_COMPLETION_ENABLED", Boolean.toString(INSTANT_COMPLETION));
    }

    private static byte[] request(String id, int n) {
        return Requests.of(id, Long.toString(800_000_000L + n)).json()
                .getBytes(StandardCharsets.UTF_8);
    }

    /** CPU time of the load driver's JVM so far (the stand-in, the brokers and the plain client run in it). */
    private static Duration driverCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /**
     * Busy and total jiffies of all cores so far, from {@code /proc/stat} (busy: all but idle and iowait); null where
     * there is none.
     */
    private static long[] machineTicks() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < cpu.length; i++) {
                total += Long.parseLong(cpu[i]);
            }
            return new long[] {total - Long.parseLong(cpu[4]) - Long.parseLong(cpu[5]), total};
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Warm-up requests for {@code warmupSeconds} (and at least {@code warmup} of them), then {@code count} measured
     * ones, through one bridge: the measured requests' rate (their events' {@code time}, first to last), the bridge's
     * and the driver's CPU time per measured request in ms, the machine's busy share meanwhile and the share of the
     * bridge's CPU its JIT compiler took meanwhile in percent, and the bridge's resident memory at the end in MiB (NaN
     * where unknown).
     */
    private static double[] kafkaRun(KafkaBroker kafka, NcpFake ncp, Path work, int concurrency, int warmup,
            int warmupSeconds, int count, boolean lifted) throws Exception {
        String run = "k" + concurrency + "-" + UUID.randomUUID().toString().substring(0, 8);
        String requests = "bench.requests." + run;
        String events = "bench.events." + run;
        topicsWithWarmup(kafka, run, 0);
        Map<String, String> env = env(ncp, work.resolve(run));
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("BRIDGE_KAFKA_REQUESTS_TOPIC", requests);
        env.put("BRIDGE_KAFKA_EVENTS_TOPIC", events);
        env.put("BRIDGE_KAFKA_GROUP_ID", "bench-" + run);
        if (lifted) {
            lift(env, concurrency);
        }
        // one consumer reads the events as they come (re-reading the topic every second would load the broker,
        // which shares the machine with the bridge, and slow the bridge down)
        try (AppProcess app = AppProcess.start(work.resolve(run), env, APP_JAVA_HOME, List.of());
                KafkaConsumer<String, String> reader = eventReader(kafka, events)) {
            long started = System.nanoTime();
            long deadline = started + Duration.ofMinutes(5).plusSeconds(warmupSeconds).toNanos();
            int warmed = 0;
            int created = 0;
            double batchJit = Double.NaN;
            for (int b = 0; warmed < warmup || warmupSeconds > 0 && stillWarming(started, warmupSeconds, batchJit); b++) {
                Duration batchCpu = app.cpuTime();
                Optional<Duration> batchCompiler = app.compilerCpuTime();
                kafka.produceAll(requests, batch(run + "-w" + b + "-", WARMUP_BATCH));
                warmed += WARMUP_BATCH;
                while (created < warmed) {
                    for (ConsumerRecord<String, String> r : reader.poll(Duration.ofMillis(200))) {
                        created += created(r.value()) ? 1 : 0;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("warm-up: " + created + " of " + warmed + " events");
                    }
                }
                batchJit = share(app.compilerCpuTime(), batchCompiler, app.cpuTime().minus(batchCpu));
            }
            double warmedSeconds = (System.nanoTime() - started) / 1e9;
            Duration cpu = app.cpuTime();
            Optional<Duration> jit = app.compilerCpuTime();
            Duration driver = driverCpu();
            long[] ticks = machineTicks();
            String measured = run + "-m";
            kafka.produceAll(requests, batch(measured, count));
            List<String> times = new ArrayList<>();
            deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (times.size() < count) {
                for (ConsumerRecord<String, String> r : reader.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && r.key().startsWith(measured) && created(r.value())) {
                        times.add(r.value());
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(times.size() + " of " + count + " events");
                }
            }
            long[] ticksAfter = machineTicks();
            double busy = ticks == null || ticksAfter == null || ticksAfter[1] == ticks[1] ? Double.NaN
                    : 100.0 * (ticksAfter[0] - ticks[0]) / (ticksAfter[1] - ticks[1]);
            Duration bridgeCpu = app.cpuTime().minus(cpu);
            double jitShare = share(app.compilerCpuTime(), jit, bridgeCpu);
            double rss = app.residentBytes().map(b -> b / (double) (1 << 20)).orElse(Double.NaN);
            return new double[] {rate(times), bridgeCpu.toNanos() / 1e6 / count,
                    driverCpu().minus(driver).toNanos() / 1e6 / count, busy, jitShare, rss, warmedSeconds};
        }
    }

    /** At least {@code seconds}, and on while the JIT took more than its settled share of the last batch. */
    private static boolean stillWarming(long started, int seconds, double lastBatchJit) {
        long elapsed = System.nanoTime() - started;
        return elapsed < seconds * 1_000_000_000L || lastBatchJit > SETTLED_JIT_SHARE && elapsed < MAX_WARMUP.toNanos();
    }

    /** The JIT compiler's share of {@code cpu} in percent, between two readings (NaN where unknown). */
    private static double share(Optional<Duration> compilerNow, Optional<Duration> compilerBefore, Duration cpu) {
        return compilerNow.isEmpty() || compilerBefore.isEmpty() || cpu.isZero() ? Double.NaN
                : 100.0 * compilerNow.get().minus(compilerBefore.get()).toNanos() / cpu.toNanos();
    }

    private static KafkaConsumer<String, String> eventReader(KafkaBroker kafka, String topic) {
        // the rate comes from the events' own time, so the reader may fetch them in large batches: fewer fetches leave
        // more of the shared machine to the bridge and the broker
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(256 * 1024),
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "250");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static List<Map.Entry<String, byte[]>> batch(String prefix, int count) {
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(Map.entry(prefix + i, request(prefix + i, i)));
        }
        return records;
    }

    private static double fileRun(NcpFake ncp, Path work, int count) throws Exception {
        String run = "f-" + UUID.randomUUID().toString().substring(0, 8);
        Path dir = work.resolve(run);
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        for (int f = 0; f < 10; f++) {
            StringBuilder lines = new StringBuilder();
            for (int i = f * count / 10; i < (f + 1) * count / 10; i++) {
                lines.append(new String(request(run + "-" + i, i), StandardCharsets.UTF_8)).append('\n');
            }
            Path temp = inbox.resolve(".b" + f + ".tmp");
            Files.writeString(temp, lines);
            Files.move(temp, inbox.resolve("b" + f + ".jsonl"), StandardCopyOption.ATOMIC_MOVE);
        }
        Map<String, String> env = env(ncp, dir);
        env.put("BRIDGE_INBOX_STABLE_FOR", "200ms");
        try (AppProcess app = AppProcess.start(dir, env, APP_JAVA_HOME, List.of())) {
            Path outbox = dir.resolve("outbox");
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> Files.isDirectory(outbox) && createdEvents(outbox).size() >= count);
            return rate(createdEvents(outbox));
        }
    }

    private static double amqpRun(ArtemisBroker artemis, NcpFake ncp, Path work, int count) throws Exception {
        String run = "a-" + UUID.randomUUID().toString().substring(0, 8);
        String queue = "bench.requests." + run;
        String eventsQueue = "bench.events." + run;
        for (int i = 0; i < count; i++) {
            artemis.sendText(queue, new String(request(run + "-" + i, i), StandardCharsets.UTF_8));
        }
        Map<String, String> env = env(ncp, work.resolve(run));
        env.put("AMQP_URL", artemis.url());
        env.put("BRIDGE_AMQP_REQUESTS_QUEUE", queue);
        env.put("BRIDGE_AMQP_EVENTS_ADDRESS", eventsQueue);
        env.put("BRIDGE_EVENTS_SINK", "amqp");
        try (AppProcess app = AppProcess.start(work.resolve(run), env, APP_JAVA_HOME, List.of())) {
            List<String> events = new ArrayList<>();
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                artemis.drain(eventsQueue, 200).stream().map(r -> r.body()).filter(LoadBenchmark::created)
                        .forEach(events::add);
                return events.size() >= count;
            });
            return rate(events);
        }
    }

    private static List<String> createdEvents(Path outbox) throws Exception {
        List<String> events = new ArrayList<>();
        try (var files = Files.list(outbox)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                String event = Files.readString(p);
                if (created(event)) {
                    events.add(event);
                }
            }
        }
        return events;
    }

    /**
     * Only {@code created} events are counted: completion tracking, on as in production, adds a {@code completed}
     * event per snapshot once NCP reports it ready, which is not a request handled.
     */
    private static boolean created(String event) {
        try {
            return Json.MAPPER.readTree(event).path("type").asText().endsWith(".created");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Events per second between the first and the last event's {@code time}. */
    private static double rate(List<String> events) throws Exception {
        List<Instant> times = new ArrayList<>();
        for (String event : events) {
            JsonNode node = Json.MAPPER.readTree(event);
            times.add(Instant.parse(node.get("time").asText()));
        }
        times.sort(null);
        double seconds = Duration.between(times.get(0), times.get(times.size() - 1)).toMillis() / 1000.0;
        return (times.size() - 1) / Math.max(seconds, 0.001);
    }

    /**
     * The floor that Kafka sets on this machine: a plain Kafka consumer and producer around the same plain HttpClient,
     * {@code concurrency} calls at a time, on the same broker and stand-in. Each poll's records are called concurrently,
     * their events produced as the bridge produces them ({@code acks=all}, idempotent, 5 ms linger), and the poll's
     * offsets committed once every event is acknowledged. No journal, no validation, no JAXB, no CloudEvent: only
     * what any service reading requests from Kafka and writing answers back to it must do. The measured requests'
     * rate, from their events' timestamps as the producer set them.
     */
    private static double plainKafkaRun(KafkaBroker kafka, NcpFake ncp, int concurrency, int warmup, int count)
            throws Exception {
        String run = "p" + concurrency + "-" + UUID.randomUUID().toString().substring(0, 8);
        String requests = "bench.requests." + run;
        String events = "bench.events." + run;
        topicsWithWarmup(kafka, run, warmup);
        PlainClient client = new PlainClient(ncp);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, Object> consumerProps = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "bench-" + run, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        Map<String, Object> producerProps = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5);
        Thread loop;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(),
                new StringDeserializer());
                KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                        new StringSerializer());
                KafkaConsumer<String, String> reader = eventReader(kafka, events)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            loop = new Thread(() -> {
                try {
                    consumer.subscribe(List.of(requests));
                    while (!stop.get()) {
                        List<Future<Future<?>>> pending = new ArrayList<>();
                        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                            pending.add(pool.submit(() -> {
                                int status = client.createSnapshot(
                                        Json.MAPPER.readTree(r.value()).path("blockStorageInstanceNo").asText());
                                if (status != 200) {
                                    throw new IllegalStateException("stand-in answered " + status);
                                }
                                return producer.send(new ProducerRecord<>(events, r.key(),
                                        "{\"requestId\":\"" + r.key() + "\",\"status\":" + status + "}"));
                            }));
                        }
                        for (Future<Future<?>> call : pending) {
                            call.get().get();
                        }
                        if (!pending.isEmpty()) {
                            consumer.commitSync();
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "plain-kafka-pipeline");
            loop.start();
            try {
                String measured = run + "-m";
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                int seen = 0;
                while (seen < warmup) {
                    seen += reader.poll(Duration.ofMillis(200)).count();
                    if (failure.get() != null || System.nanoTime() > deadline) {
                        throw new IllegalStateException("plain pipeline warm-up: " + seen + " of " + warmup, failure.get());
                    }
                }
                kafka.produceAll(requests, batch(measured, count));
                List<Long> times = new ArrayList<>();
                while (times.size() < count) {
                    for (ConsumerRecord<String, String> r : reader.poll(Duration.ofMillis(200))) {
                        if (r.key().startsWith(measured)) {
                            times.add(r.timestamp());
                        }
                    }
                    if (failure.get() != null || System.nanoTime() > deadline) {
                        throw new IllegalStateException("plain pipeline: " + times.size() + " of " + count, failure.get());
                    }
                }
                times.sort(null);
                return (count - 1) / Math.max((times.get(count - 1) - times.get(0)) / 1000.0, 0.001);
            } finally {
                stop.set(true);
                loop.join(10_000);
                pool.shutdownNow();
            }
        }
    }

    /** The run's requests and events topics, and its warm-up requests produced. */
    private static void topicsWithWarmup(KafkaBroker kafka, String run, int warmup) throws Exception {
        kafka.createTopic("bench.requests." + run, 6);
        kafka.createTopic("bench.events." + run, 6);
        kafka.produceAll("bench.requests." + run, batch(run + "-w", warmup));
    }

    /** A plain java.net.http client sending signed createBlockStorageSnapshotInstance GETs to the stand-in. */
    private static final class PlainClient {

        private final NcpCallFactory calls;
        private final NcpCredentials account = new NcpCredentials(ACCESS, SECRET);
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        PlainClient(NcpFake ncp) {
            calls = new NcpCallFactory(ncp.baseUrl(), Clock.systemUTC());
        }

        /** The stand-in's HTTP status. */
        int createSnapshot(String volume) throws Exception {
            SignedCall call = calls.prepare(NcpCallFactory.CREATE_SNAPSHOT,
                    NcpCallFactory.createSnapshotParameters(volume, null, null), account);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(call.url())).GET();
            call.headers().forEach(request::header);
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()).statusCode();
        }
    }

    /** The baseline: signed createBlockStorageSnapshotInstance GETs from a plain HttpClient, {@code concurrency} at a time. */
    private static double rawClient(NcpFake ncp, int concurrency, int count) throws Exception {
        PlainClient client = new PlainClient(ncp);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                running.add(pool.submit(() -> {
                    int n;
                    while ((n = next.getAndIncrement()) < count) {
                        int status = client.createSnapshot(Long.toString(700_000_000L + n));
                        if (status != 200) {
                            throw new IllegalStateException("stand-in answered " + status);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    /** Requests/s against concurrency, both series, as a PNG. */
    private static void chart(Map<Integer, double[]> sweep, Path png) throws Exception {
        int w = 800;
        int h = 480;
        int left = 80;
        int right = 30;
        int top = 50;
        int bottom = 60;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double max = sweep.values().stream().mapToDouble(v -> Math.max(v[0], Math.max(v[1], v[2]))).max().orElse(1) * 1.1;
        List<Integer> xs = new ArrayList<>(sweep.keySet());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("Requests/s against requests at a time (stand-in answering at once)", left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawLine(left, h - bottom, w - right, h - bottom);
        g.drawLine(left, top, left, h - bottom);
        for (int i = 0; i <= 5; i++) {
            int y = h - bottom - i * (h - top - bottom) / 5;
            g.setColor(new Color(230, 230, 230));
            g.drawLine(left + 1, y, w - right, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format("%.0f", max * i / 5), 10, y + 4);
        }
        for (int i = 0; i < xs.size(); i++) {
            int x = left + 20 + i * (w - left - right - 40) / (xs.size() - 1);
            g.drawString(Integer.toString(xs.get(i)), x - 4, h - bottom + 20);
        }
        g.drawString("requests at a time", w / 2 - 50, h - 15);
        Color[] colors = {new Color(200, 80, 40), new Color(30, 100, 200), new Color(60, 160, 60)};
        String[] names = {"plain HttpClient to the stand-in", "bridge, Kafka in → NCP stand-in → Kafka out",
                "plain Kafka consumer and producer around the plain HttpClient"};
        for (int s = 0; s < colors.length; s++) {
            g.setColor(colors[s]);
            g.setStroke(new BasicStroke(3));
            int px = -1;
            int py = -1;
            for (int i = 0; i < xs.size(); i++) {
                int x = left + 20 + i * (w - left - right - 40) / (xs.size() - 1);
                int y = h - bottom - (int) (sweep.get(xs.get(i))[s] / max * (h - top - bottom));
                g.fillOval(x - 4, y - 4, 8, 8);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.fillRect(left + 20, top + 10 + s * 20, 14, 4);
            g.drawString(names[s], left + 40, top + 16 + s * 20);
        }
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }
}
