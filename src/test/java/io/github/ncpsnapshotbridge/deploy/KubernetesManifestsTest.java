package io.github.ncpsnapshotbridge.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Renders every overlay under {@code k8s/} and checks what an operator relies on. */
class KubernetesManifestsTest {

    private static List<ObjectNode> render(String overlay) throws Exception {
        return Kustomization.render(Path.of("k8s", "overlays", overlay));
    }

    private static JsonNode container(ObjectNode deployment) {
        return deployment.at("/spec/template/spec/containers/0");
    }

    private static String env(List<ObjectNode> objects, String name) {
        return Kustomization.find(objects, "ConfigMap", "ncp-snapshot-bridge").at("/data/" + name).asText(null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kafka", "amqp", "file-drop"})
    void everyOverlayHasAHardenedProbedSizedDeployment(String overlay) throws Exception {
        List<ObjectNode> objects = render(overlay);
        ObjectNode deployment = Kustomization.find(objects, "Deployment", "ncp-snapshot-bridge");
        assertNotNull(deployment);
        JsonNode pod = deployment.at("/spec/template/spec");
        assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean());
        JsonNode c = container(deployment);
        assertTrue(c.at("/securityContext/readOnlyRootFilesystem").asBoolean());
        assertFalse(c.at("/securityContext/allowPrivilegeEscalation").asBoolean(true));
        assertEquals("ALL", c.at("/securityContext/capabilities/drop/0").asText());
        assertEquals("/q/health/live", c.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/q/health/ready", c.at("/readinessProbe/httpGet/path").asText());
        assertFalse(c.at("/resources/requests/memory").isMissingNode());
        assertFalse(c.at("/resources/limits/memory").isMissingNode());
        assertTrue(pod.at("/terminationGracePeriodSeconds").asInt() > 30, "longer than the bridge's 30 s shutdown bound");
        assertEquals(deployment.at("/spec/selector/matchLabels/app.kubernetes.io~1name").asText(),
                deployment.at("/spec/template/metadata/labels/app.kubernetes.io~1name").asText());

        assertNotNull(Kustomization.find(objects, "ConfigMap", "ncp-snapshot-bridge"));
        ObjectNode secret = Kustomization.find(objects, "Secret", "ncp-credentials");
        assertNotNull(secret);
        JsonNode credentials = StreamSupport.stream(pod.path("volumes").spliterator(), false)
                .filter(v -> v.path("name").asText().equals("ncp-credentials")).findFirst().orElseThrow();
        assertEquals("ncp-credentials", credentials.at("/secret/secretName").asText());
        assertEquals("default/secret-key", credentials.at("/secret/items/1/path").asText());
        assertEquals("/etc/ncp-credentials", env(objects, "BRIDGE_CREDENTIALS_DIR"));

        assertNotNull(Kustomization.find(objects, "Service", "ncp-snapshot-bridge-metrics"));
        assertNotNull(Kustomization.find(objects, "PodDisruptionBudget", "ncp-snapshot-bridge"));
        ObjectNode policy = Kustomization.find(objects, "NetworkPolicy", "ncp-snapshot-bridge");
        assertTrue(policy.at("/spec/policyTypes").toString().contains("Egress"));
        assertTrue(policy.at("/spec/egress").toString().contains("443"), "NCP over HTTPS");
    }

    @org.junit.jupiter.api.Test
    void kafkaScalesOnLagWithTheSharedStore() throws Exception {
        List<ObjectNode> objects = render("kafka");
        assertNotNull(env(objects, "KAFKA_BOOTSTRAP_SERVERS"));
        assertEquals("kafka", env(objects, "BRIDGE_IDEMPOTENCY_STORE"));
        ObjectNode scaled = Kustomization.find(objects, "ScaledObject", "ncp-snapshot-bridge");
        assertEquals("kafka", scaled.at("/spec/triggers/0/type").asText());
        assertEquals(env(objects, "BRIDGE_KAFKA_GROUP_ID"), scaled.at("/spec/triggers/0/metadata/consumerGroup").asText());
        assertTrue(Kustomization.find(objects, "NetworkPolicy", "ncp-snapshot-bridge").at("/spec/egress").toString()
                .contains("9092"));
        assertEquals(2, Kustomization.find(objects, "Deployment", "ncp-snapshot-bridge").at("/spec/replicas").asInt());
    }

    @org.junit.jupiter.api.Test
    void fileDropAndAmqpKeepTheirDataOnAVolume() throws Exception {
        for (String overlay : List.of("file-drop", "amqp")) {
            List<ObjectNode> objects = render(overlay);
            assertNotNull(Kustomization.find(objects, "PersistentVolumeClaim", "ncp-snapshot-bridge-data"), overlay);
            JsonNode data = StreamSupport.stream(Kustomization.find(objects, "Deployment", "ncp-snapshot-bridge")
                    .at("/spec/template/spec/volumes").spliterator(), false)
                    .filter(v -> v.path("name").asText().equals("data")).findFirst().orElseThrow();
            assertEquals("ncp-snapshot-bridge-data", data.at("/persistentVolumeClaim/claimName").asText(), overlay);
            assertFalse(data.has("emptyDir"), overlay);
        }
        assertEquals("amqp", env(render("amqp"), "BRIDGE_EVENTS_SINK"));
        assertTrue(Kustomization.find(render("amqp"), "Deployment", "ncp-snapshot-bridge")
                .at("/spec/template/spec/containers/0/envFrom").toString().contains("amqp-login"));
    }
}
