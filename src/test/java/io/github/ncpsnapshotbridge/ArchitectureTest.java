package io.github.ncpsnapshotbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The layers, read from the sources: every reference from one top-level package of the bridge to another (imports
 * and fully qualified names alike). No package may reach itself through others, and the NCP client knows nothing of
 * what uses it.
 */
class ArchitectureTest {

    private static final Path SOURCES = Path.of("src", "main", "java", "io", "github", "ncpsnapshotbridge");
    private static final Pattern REFERENCE = Pattern.compile("io\\.github\\.ncpsnapshotbridge\\.(\\w+)\\.[A-Za-z]");

    /** package → the packages its classes refer to, each with one class that does. */
    static Map<String, Map<String, String>> dependencies() throws IOException {
        Map<String, Map<String, String>> deps = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(file).getName(0).toString();
                Map<String, String> of = deps.computeIfAbsent(pkg, p -> new TreeMap<>());
                Matcher m = REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        of.putIfAbsent(m.group(1), file.getFileName().toString());
                    }
                }
            }
        }
        return deps;
    }

    @Test
    void noPackageReachesItselfThroughOthers() throws IOException {
        Map<String, Map<String, String>> deps = dependencies();
        List<String> cycles = new ArrayList<>();
        for (String start : deps.keySet()) {
            // a path back to start, if any (breadth first, so the shortest)
            Map<String, String> cameFrom = new HashMap<>();
            Deque<String> queue = new ArrayDeque<>(deps.get(start).keySet());
            deps.get(start).keySet().forEach(d -> cameFrom.put(d, start));
            while (!queue.isEmpty()) {
                String p = queue.poll();
                if (p.equals(start)) {
                    List<String> path = new ArrayList<>();
                    for (String at = start; ; ) {
                        String before = cameFrom.get(at);
                        path.add(0, before + " (" + deps.get(before).get(at) + ")");
                        at = before;
                        if (at.equals(start)) {
                            break;
                        }
                    }
                    cycles.add(String.join(" → ", path) + " → " + start);
                    break;
                }
                for (String next : deps.getOrDefault(p, Map.of()).keySet()) {
                    if (!cameFrom.containsKey(next)) {
                        cameFrom.put(next, p);
                        queue.add(next);
                    }
                }
            }
        }
        assertEquals(List.of(), cycles, "package cycles");
    }

    @Test
    void eachLayerKnowsOnlyWhatIsBelowIt() throws IOException {
        Map<String, Map<String, String>> deps = dependencies();
        Map<String, Set<String>> allowed = Map.of(
                "support", Set.of(),
                "settings", Set.of(),
                "ncp", Set.of("settings", "support"),
                "idempotency", Set.of("settings", "support"),
                "metrics", Set.of("ncp"),
                "ncpcall", Set.of("ncp", "settings", "support"));
        Map<String, Set<String>> wrong = new TreeMap<>();
        allowed.forEach((pkg, may) -> {
            Set<String> extra = new TreeSet<>(deps.getOrDefault(pkg, Map.of()).keySet());
            extra.removeAll(may);
            if (!extra.isEmpty()) {
                wrong.put(pkg, extra);
            }
        });
        assertEquals(Map.of(), wrong, "references a layer may not make");
    }

    /** NCP's client library (signing, requests, models, rules) knows neither Camel nor an HTTP client. */
    @Test
    void theNcpPackageImportsNoCamelAndNoHttpClient() throws IOException {
        List<String> wrong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES.resolve("ncp"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith("import ") && (line.contains("org.apache.camel.") || line.contains("org.apache.hc.")
                            || line.contains("java.net.http."))) {
                        wrong.add(file.getFileName() + ": " + line);
                    }
                }
            }
        }
        assertEquals(List.of(), wrong, "imports the ncp package may not have");
    }

    /** A request that waits (for the gate, a back-off, the settle time, an outage) holds no thread while it does. */
    @Test
    void theNcpAndPipelinePackagesNeverSleep() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (String pkg : List.of("ncp", "pipeline")) {
            try (Stream<Path> files = Files.walk(SOURCES.resolve(pkg))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    if (Files.readString(file).contains("Thread.sleep(")) {
                        wrong.add(pkg + "/" + file.getFileName());
                    }
                }
            }
        }
        assertEquals(List.of(), wrong, "classes that sleep on a thread");
    }
}
