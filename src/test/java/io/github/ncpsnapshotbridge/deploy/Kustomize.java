package io.github.ncpsnapshotbridge.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Renders the project's manifests with the real kustomize ({@code kubectl kustomize}, or a standalone {@code kustomize
 * build}) and reads the objects back. Without either on the PATH the checks fail, saying so; {@code -Dkustomize.skip=true}
 * skips them instead.
 */
final class Kustomize {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path PROJECT = Path.of("").toAbsolutePath();

    private Kustomize() {
    }

    /** An overlay as it is, e.g. {@code k8s/overlays/kafka}. */
    static List<ObjectNode> render(String dir) throws Exception {
        return run(PROJECT.resolve(dir));
    }

    /** An overlay with components added, as a user would add them in a kustomization of their own. */
    static List<ObjectNode> renderWith(String overlay, String... components) throws Exception {
        Path dir = Files.createDirectories(PROJECT.resolve("target/kustomize/" + overlay.replace('/', '_')
                + "-" + String.join("-", components).replace('/', '_')));
        StringBuilder k = new StringBuilder("resources:\n  - ").append(dir.relativize(PROJECT.resolve(overlay)))
                .append("\ncomponents:\n");
        for (String component : components) {
            k.append("  - ").append(dir.relativize(PROJECT.resolve(component))).append('\n');
        }
        Files.writeString(dir.resolve("kustomization.yaml"), k);
        return run(dir);
    }

    /**
     * An overlay of a user's own over {@code overlay}: its {@code kustomization.yaml} is {@code kustomization} (which
     * refers to the overlay as {@code OVERLAY}), beside {@code files} (name → content).
     */
    static List<ObjectNode> renderUserOverlay(String name, String overlay, String kustomization,
            java.util.Map<String, String> files) throws Exception {
        Path dir = Files.createDirectories(PROJECT.resolve("target/kustomize/user-" + name));
        Files.writeString(dir.resolve("kustomization.yaml"),
                kustomization.replace("OVERLAY", dir.relativize(PROJECT.resolve(overlay)).toString()));
        for (var file : files.entrySet()) {
            Files.writeString(dir.resolve(file.getKey()), file.getValue());
        }
        return run(dir);
    }

    private static List<ObjectNode> run(Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("kustomize.skip"), "kustomize.skip=true");
        List<String> command = command(dir);
        Path out = Files.createTempFile("kustomize", ".yaml");
        Path err = Files.createTempFile("kustomize", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("kustomize did not finish within 60 s");
            }
            assertEquals(0, p.exitValue(), () -> "kustomize failed on " + dir + ": " + read(err));
            List<ObjectNode> objects = new ArrayList<>();
            try (var values = YAML.readerFor(JsonNode.class).readValues(out.toFile())) {
                while (values.hasNext()) {
                    JsonNode node = (JsonNode) values.next();
                    if (node instanceof ObjectNode object) {
                        objects.add(object);
                    }
                }
            }
            return objects;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static List<String> command(Path dir) {
        if (onPath("kubectl")) {
            return List.of("kubectl", "kustomize", dir.toString());
        }
        if (onPath("kustomize")) {
            return List.of("kustomize", "build", dir.toString());
        }
        return fail("rendering the manifests needs kubectl (or kustomize) on the PATH; "
                + "run with -Dkustomize.skip=true to skip these checks");
    }

    private static boolean onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String entry : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(entry, name))) {
                return true;
            }
        }
        return false;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no error output)";
        }
    }

    static List<ObjectNode> all(List<ObjectNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    static ObjectNode find(List<ObjectNode> objects, String kind, String name) {
        return objects.stream()
                .filter(o -> kind.equals(o.path("kind").asText()) && name.equals(o.at("/metadata/name").asText()))
                .findFirst().orElse(null);
    }

    /** The one object of a kind, whatever its (generated) name. */
    static ObjectNode only(List<ObjectNode> objects, String kind) {
        List<ObjectNode> found = all(objects, kind);
        assertEquals(1, found.size(), () -> "one " + kind + " expected, found " + found.size());
        return found.get(0);
    }
}
