package io.github.ncpsnapshotbridge.bench;

import io.github.ncpsnapshotbridge.ncp.Platform;
import io.github.ncpsnapshotbridge.testsupport.Answers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import io.github.ncpsnapshotbridge.pipeline.BridgeEvent;
import io.github.ncpsnapshotbridge.pipeline.EventFactory;
import io.github.ncpsnapshotbridge.ncp.NcpCallFactory;
import io.github.ncpsnapshotbridge.ncp.NcpCredentials;
import io.github.ncpsnapshotbridge.ncp.NcpOutcome;
import io.github.ncpsnapshotbridge.ncp.NcpResponseParser;
import io.github.ncpsnapshotbridge.ncp.SignedCall;
import io.github.ncpsnapshotbridge.ncp.SnapshotMarker;
import io.github.ncpsnapshotbridge.pipeline.RequestBatchReader;
import io.github.ncpsnapshotbridge.pipeline.RequestValidator;
import io.github.ncpsnapshotbridge.pipeline.SnapshotRequest;
import io.github.ncpsnapshotbridge.testsupport.NcpFake;

/**
 * JMH: what one request costs inside the bridge, step by step and all together (parse and validate the request, sign
 * the NCP call, unmarshal NCP's answer with JAXB, build the CloudEvent). Not part of {@code verify}: run it with
 * {@code ./mvnw test -Dtest=RequestCostBenchmark}; results go to {@code target/benchmarks/request-cost.txt}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RequestCostBenchmark {

    private static final byte[] REQUEST = ("{\"requestId\":\"db01-nightly-2026-11-27\",\"blockStorageInstanceNo\":\"937508\","
            + "\"blockStorageSnapshotName\":\"db01-nightly\",\"blockStorageSnapshotDescription\":\"nightly backup of the "
            + "db01 data volume\",\"account\":\"default\"}").getBytes(StandardCharsets.UTF_8);

    private final RequestBatchReader reader = new RequestBatchReader();
    private final RequestValidator validator = new RequestValidator();
    private final NcpCallFactory calls = new NcpCallFactory("https://ncloud.apigw.ntruss.com/server/v2", Clock.systemUTC());
    private final NcpCredentials account = new NcpCredentials("AKBENCHMARK000001", "bench-only-not-a-secret-key-000000");
    private final NcpResponseParser parser = new NcpResponseParser();
    private final EventFactory events = new EventFactory("ncp-snapshot-bridge", Clock.systemUTC());
    private final byte[] answer;
    private final SnapshotRequest request;
    private final NcpOutcome.Created created;

    public RequestCostBenchmark() {
        try {
            answer = NcpFake.exampleAnswer().getBytes(StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        request = validate();
        created = (NcpOutcome.Created) parser.parseCreateSnapshot(Platform.CLASSIC, Answers.read(Platform.CLASSIC, 200, answer));
    }

    @Benchmark
    public SnapshotRequest validate() {
        return (SnapshotRequest) validator.validate(reader.read(REQUEST, RequestBatchReader.Format.JSON, "file:x").items().get(0));
    }

    @Benchmark
    public SignedCall sign() {
        return calls.prepare(NcpCallFactory.CREATE_SNAPSHOT, NcpCallFactory.createSnapshotParameters(request.blockStorageInstanceNo(),
                request.blockStorageSnapshotName(), SnapshotMarker.description(request.blockStorageSnapshotDescription(),
                        request.requestId())), account);
    }

    @Benchmark
    public NcpOutcome unmarshal() {
        return parser.parseCreateSnapshot(Platform.CLASSIC, Answers.read(Platform.CLASSIC, 200, answer));
    }

    @Benchmark
    public BridgeEvent event() {
        return events.created(request, 1, created);
    }

    @Benchmark
    public BridgeEvent wholeRequest() {
        SnapshotRequest r = validate();
        calls.prepare(NcpCallFactory.CREATE_SNAPSHOT, NcpCallFactory.createSnapshotParameters(r.blockStorageInstanceNo(),
                r.blockStorageSnapshotName(), SnapshotMarker.description(r.blockStorageSnapshotDescription(), r.requestId())),
                account);
        return events.created(r, 1, (NcpOutcome.Created) parser.parseCreateSnapshot(Platform.CLASSIC, Answers.read(Platform.CLASSIC, 200, answer)));
    }

    @Test
    void run() throws Exception {
        Options options = new OptionsBuilder().include(RequestCostBenchmark.class.getName() + "\\.")
                .forks(1).warmupIterations(5).warmupTime(TimeValue.seconds(1))
                .measurementIterations(10).measurementTime(TimeValue.seconds(1)).build();
        Collection<RunResult> results = new Runner(options).run();
        StringBuilder out = new StringBuilder("| step | µs per request (mean) | ± (99.9%) |\n| --- | --- | --- |\n");
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            out.append(String.format("| %s | %.2f | %.2f |%n", name, r.getPrimaryResult().getScore(),
                    r.getPrimaryResult().getScoreError()));
        }
        Files.createDirectories(Path.of("target", "benchmarks"));
        Files.writeString(Path.of("target", "benchmarks", "request-cost.txt"), out);
        System.out.println(out);
    }
}
