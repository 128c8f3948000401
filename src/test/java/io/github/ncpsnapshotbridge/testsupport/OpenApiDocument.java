package io.github.ncpsnapshotbridge.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** The HTTP API's OpenAPI document, as the application ships it: its operations, and its schemas to check answers by. */
public final class OpenApiDocument {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode DOCUMENT = load();

    private OpenApiDocument() {
    }

    private static JsonNode load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream("/openapi/http-api.yaml")) {
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode document() {
        return DOCUMENT;
    }

    /** Every operation as {@code METHOD path}, e.g. {@code POST /api/v1/snapshot-requests}. */
    public static Set<String> operations() {
        Set<String> operations = new TreeSet<>();
        DOCUMENT.path("paths").properties().forEach(path -> path.getValue().properties()
                .forEach(method -> operations.add(method.getKey().toUpperCase() + " " + path.getKey())));
        return operations;
    }

    /**
     * The problems of {@code json} against the schema that the document gives the answer of {@code method path} with
     * {@code status} (its content's first media type); empty when it fits.
     */
    public static Set<String> problems(String method, String path, int status, String json) {
        JsonNode response = DOCUMENT.path("paths").path(path).path(method.toLowerCase()).path("responses")
                .path(Integer.toString(status));
        if (response.isMissingNode()) {
            return Set.of("the document has no " + status + " answer for " + method + " " + path);
        }
        if (response.has("$ref")) {
            response = DOCUMENT.at(response.get("$ref").asText().substring(1));
        }
        JsonNode content = response.path("content");
        if (!content.fields().hasNext()) {
            return Set.of("the document's " + status + " answer of " + method + " " + path + " has no content");
        }
        ObjectNode schema = JSON.createObjectNode();
        schema.setAll((ObjectNode) content.fields().next().getValue().path("schema").deepCopy());
        schema.set("components", DOCUMENT.path("components").deepCopy());
        JsonSchema validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
        try {
            return validator.validate(JSON.readTree(json)).stream().map(ValidationMessage::getMessage)
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            return Set.of("not JSON: " + e.getMessage());
        }
    }
}
