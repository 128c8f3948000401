package io.github.ncpsnapshotbridge.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Enough of kustomize to render this project's overlays in a test: {@code resources} (files and folders with their
 * own kustomization), strategic-merge {@code patches} (maps merged, lists of named items merged by name, other lists
 * replaced, null deleting), and {@code labels} with selectors.
 */
final class Kustomization {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Kustomization() {
    }

    static List<ObjectNode> render(Path dir) throws IOException {
        JsonNode kustomization = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(render(path));
            } else {
                objects.addAll(read(path));
            }
        }
        for (JsonNode patch : kustomization.path("patches")) {
            for (ObjectNode change : read(dir.resolve(patch.path("path").asText()))) {
                ObjectNode target = find(objects, change.path("kind").asText(), change.at("/metadata/name").asText());
                if (target == null) {
                    throw new IllegalStateException("patch " + patch + " targets nothing");
                }
                merge(target, change);
            }
        }
        for (JsonNode label : kustomization.path("labels")) {
            for (ObjectNode object : objects) {
                label.path("pairs").fields().forEachRemaining(e -> {
                    ((ObjectNode) object.with("metadata").with("labels")).set(e.getKey(), e.getValue());
                    if (label.path("includeSelectors").asBoolean() && object.path("kind").asText().equals("Deployment")) {
                        ((ObjectNode) object.with("spec").with("template").with("metadata").with("labels")).set(e.getKey(),
                                e.getValue());
                    }
                });
            }
        }
        return objects;
    }

    static ObjectNode find(List<ObjectNode> objects, String kind, String name) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)
                && o.at("/metadata/name").asText().equals(name)).findFirst().orElse(null);
    }

    private static List<ObjectNode> read(Path file) throws IOException {
        List<ObjectNode> objects = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            Iterator<ObjectNode> documents = YAML.readValues(parser, ObjectNode.class);
            documents.forEachRemaining(objects::add);
        }
        return objects;
    }

    private static void merge(ObjectNode target, ObjectNode change) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = change.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = target.get(field.getKey());
            JsonNode value = field.getValue();
            if (value.isNull()) {
                target.remove(field.getKey());
            } else if (existing instanceof ObjectNode object && value instanceof ObjectNode patch) {
                merge(object, patch);
            } else if (existing instanceof ArrayNode list && value instanceof ArrayNode patch && namedItems(list)
                    && namedItems(patch)) {
                for (JsonNode item : patch) {
                    ObjectNode same = null;
                    for (JsonNode old : list) {
                        if (old.path("name").asText().equals(item.path("name").asText())) {
                            same = (ObjectNode) old;
                        }
                    }
                    if (same == null) {
                        list.add(item);
                    } else {
                        merge(same, (ObjectNode) item);
                    }
                }
            } else {
                target.set(field.getKey(), value);
            }
        }
    }

    private static boolean namedItems(ArrayNode list) {
        for (JsonNode item : list) {
            if (!item.isObject() || !item.has("name")) {
                return false;
            }
        }
        return !list.isEmpty();
    }
}
