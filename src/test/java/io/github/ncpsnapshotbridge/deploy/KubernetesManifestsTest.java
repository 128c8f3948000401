package io.github.ncpsnapshotbridge.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Renders every overlay under {@code k8s/} with the real kustomize and checks what an operator relies on. */
class KubernetesManifestsTest {

    private static List<ObjectNode> render(String overlay) throws Exception {
        return Kustomize.render("k8s/overlays/" + overlay);
    }

    private static ObjectNode deployment(List<ObjectNode> objects) {
        return Kustomize.find(objects, "Deployment", "ncp-snapshot-bridge");
    }

    private static JsonNode volume(ObjectNode deployment, String name) {
        return StreamSupport.stream(deployment.at("/spec/template/spec/volumes").spliterator(), false)
                .filter(v -> v.path("name").asText().equals(name)).findFirst().orElseThrow();
    }

    private static String setting(List<ObjectNode> objects, String name) {
        return Kustomize.only(objects, "ConfigMap").at("/data/" + name).asText(null);
    }

    /** How many times Prometheus would scrape each pod: annotated pods and Services, plus PodMonitors. */
    private static int scrapes(List<ObjectNode> objects) {
        int n = 0;
        for (ObjectNode o : objects) {
            JsonNode annotations = switch (o.path("kind").asText()) {
                case "Deployment" -> o.at("/spec/template/metadata/annotations");
                case "Service" -> o.at("/metadata/annotations");
                default -> o.missingNode();
            };
            if ("true".equals(annotations.path("prometheus.io/scrape").asText())) {
                n++;
            }
        }
        return n + Kustomize.all(objects, "PodMonitor").size() + Kustomize.all(objects, "ServiceMonitor").size();
    }

    @ParameterizedTest
    @ValueSource(strings = {"kafka", "amqp", "file-drop"})
    void everyOverlayHasAHardenedProbedSizedDeployment(String overlay) throws Exception {
        List<ObjectNode> objects = render(overlay);
        ObjectNode deployment = deployment(objects);
        assertNotNull(deployment);
        JsonNode pod = deployment.at("/spec/template/spec");
        assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean());
        JsonNode c = pod.at("/containers/0");
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
        // the platform (or the image) picks the user: OpenShift's restricted SCC assigns its own
        assertTrue(pod.at("/securityContext/runAsUser").isMissingNode(), overlay);
        assertTrue(c.at("/securityContext/runAsUser").isMissingNode(), overlay);

        ObjectNode policy = Kustomize.find(objects, "NetworkPolicy", "ncp-snapshot-bridge");
        assertTrue(policy.at("/spec/policyTypes").toString().contains("Egress"));
        assertTrue(policy.at("/spec/egress").toString().contains("443"), "NCP over HTTPS");
        assertTrue(policy.at("/spec/policyTypes").toString().contains("Ingress"));
        for (JsonNode rule : policy.at("/spec/ingress")) {
            assertFalse(rule.path("from").isEmpty(), "ingress names its sources: " + rule);
            assertEquals(1, rule.path("ports").size(), "only the HTTP port: " + rule);
            assertEquals(8080, rule.at("/ports/0/port").asInt());
        }
        assertNotNull(Kustomize.find(objects, "Service", "ncp-snapshot-bridge-metrics"));
        assertNotNull(Kustomize.find(objects, "PodDisruptionBudget", "ncp-snapshot-bridge"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"kafka", "amqp", "file-drop"})
    void noOverlayShipsASecretAndEveryAccountIsMountedReadOnly(String overlay) throws Exception {
        List<ObjectNode> objects = render(overlay);
        assertEquals(List.of(), Kustomize.all(objects, "Secret"), "applying the overlay must never overwrite real keys");
        assertFalse(objects.toString().contains("REPLACE_WITH"), "no placeholder values anywhere");

        ObjectNode deployment = deployment(objects);
        JsonNode credentials = volume(deployment, "ncp-credentials");
        assertEquals("ncp-credentials", credentials.at("/secret/secretName").asText());
        assertTrue(credentials.at("/secret/items").isMissingNode(), "every key of the Secret, not a chosen few");
        assertEquals(0400, credentials.at("/secret/defaultMode").asInt());
        JsonNode mount = StreamSupport.stream(deployment.at("/spec/template/spec/containers/0/volumeMounts")
                .spliterator(), false).filter(m -> m.path("name").asText().equals("ncp-credentials")).findFirst()
                .orElseThrow();
        assertTrue(mount.path("readOnly").asBoolean());
        assertEquals(mount.path("mountPath").asText(), setting(objects, "BRIDGE_CREDENTIALS_DIR"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"kafka", "amqp", "file-drop"})
    void settingsComeFromAGeneratedConfigMapAndKeepTheImagesJvmOptions(String overlay) throws Exception {
        List<ObjectNode> objects = render(overlay);
        ObjectNode config = Kustomize.only(objects, "ConfigMap");
        String name = config.at("/metadata/name").asText();
        assertTrue(name.matches("ncp-snapshot-bridge-[a-z0-9]{10}"), "a content hash in the name rolls the pods: " + name);
        assertTrue(deployment(objects).at("/spec/template/spec/containers/0/envFrom").toString().contains(name));
        assertTrue(config.at("/data/JAVA_OPTS_APPEND").isMissingNode(), "the image's own JAVA_OPTS_APPEND stays");
        assertTrue(config.at("/data/JAVA_OPTS").isMissingNode());
        assertEquals("50", setting(objects, "JAVA_MAX_MEM_RATIO"));
        assertEquals(1, scrapes(objects), "each pod scraped exactly once");
    }

    @Test
    void aChangedSettingChangesTheConfigMapName() throws Exception {
        String kafka = Kustomize.only(render("kafka"), "ConfigMap").at("/metadata/name").asText();
        String amqp = Kustomize.only(render("amqp"), "ConfigMap").at("/metadata/name").asText();
        assertNotEquals(kafka, amqp);
    }

    @Test
    void kafkaLeavesTheReplicaCountToKedaAndScalesOnLag() throws Exception {
        List<ObjectNode> objects = render("kafka");
        assertNotNull(setting(objects, "KAFKA_BOOTSTRAP_SERVERS"));
        assertEquals("kafka", setting(objects, "BRIDGE_IDEMPOTENCY_STORE"));
        assertTrue(deployment(objects).at("/spec/replicas").isMissingNode(), "a replica count here fights KEDA on apply");
        ObjectNode scaled = Kustomize.find(objects, "ScaledObject", "ncp-snapshot-bridge");
        assertEquals("ncp-snapshot-bridge", scaled.at("/spec/scaleTargetRef/name").asText());
        assertTrue(scaled.at("/spec/minReplicaCount").asInt() >= 2);
        assertTrue(scaled.at("/spec/maxReplicaCount").asInt() >= scaled.at("/spec/minReplicaCount").asInt());
        assertFalse(scaled.at("/spec/advanced/horizontalPodAutoscalerConfig/behavior/scaleDown/policies").isEmpty());
        assertEquals("kafka", scaled.at("/spec/triggers/0/type").asText());
        assertEquals(setting(objects, "BRIDGE_KAFKA_GROUP_ID"), scaled.at("/spec/triggers/0/metadata/consumerGroup").asText());
        assertEquals(setting(objects, "BRIDGE_KAFKA_REQUESTS_TOPIC"), scaled.at("/spec/triggers/0/metadata/topic").asText());
        assertTrue(Kustomize.find(objects, "NetworkPolicy", "ncp-snapshot-bridge").at("/spec/egress").toString()
                .contains("9092"));
    }

    @Test
    void fileDropAndAmqpKeepTheirDataOnAVolumeWithOneReplica() throws Exception {
        for (String overlay : List.of("file-drop", "amqp")) {
            List<ObjectNode> objects = render(overlay);
            assertNotNull(Kustomize.find(objects, "PersistentVolumeClaim", "ncp-snapshot-bridge-data"), overlay);
            ObjectNode deployment = deployment(objects);
            JsonNode data = volume(deployment, "data");
            assertEquals("ncp-snapshot-bridge-data", data.at("/persistentVolumeClaim/claimName").asText(), overlay);
            assertFalse(data.has("emptyDir"), overlay);
            assertEquals(1, deployment.at("/spec/replicas").asInt(), overlay);
            assertEquals("Recreate", deployment.at("/spec/strategy/type").asText(), overlay);
        }
        List<ObjectNode> amqp = render("amqp");
        assertEquals("amqp", setting(amqp, "BRIDGE_EVENTS_SINK"));
        assertTrue(deployment(amqp).at("/spec/template/spec/containers/0/envFrom").toString().contains("amqp-login"));
    }

    @Test
    void withThePrometheusOperatorAPodMonitorReplacesTheAnnotations() throws Exception {
        List<ObjectNode> objects = Kustomize.renderWith("k8s/overlays/kafka", "k8s/components/prometheus-operator");
        ObjectNode monitor = Kustomize.only(objects, "PodMonitor");
        assertEquals("/q/metrics", monitor.at("/spec/podMetricsEndpoints/0/path").asText());
        assertEquals("ncp-snapshot-bridge", monitor.at("/spec/selector/matchLabels/app.kubernetes.io~1name").asText());
        assertEquals(1, scrapes(objects));
    }

    @Test
    void onOpenShiftThePodNamesNoUserOrGroup() throws Exception {
        List<ObjectNode> objects = Kustomize.renderWith("k8s/overlays/file-drop", "k8s/components/openshift");
        JsonNode security = deployment(objects).at("/spec/template/spec/securityContext");
        assertTrue(security.path("fsGroup").isMissingNode());
        assertTrue(security.path("runAsUser").isMissingNode());
        assertTrue(security.path("runAsNonRoot").asBoolean());
    }

    @Test
    void theHttpApiComponentTurnsTheApiOnWithTokensFromASecretAServiceAndAnIngressRule() throws Exception {
        for (String overlay : List.of("kafka", "amqp", "file-drop")) {
            List<ObjectNode> without = render(overlay);
            assertEquals(null, setting(without, "BRIDGE_HTTP_ENABLED"), overlay + " keeps the API off");
            List<ObjectNode> objects = Kustomize.renderWith("k8s/overlays/" + overlay, "k8s/components/http-api");
            JsonNode container = deployment(objects).at("/spec/template/spec/containers/0");
            assertEquals("true", setting(objects, "BRIDGE_HTTP_ENABLED"));
            assertEquals("/etc/ncp-snapshot-bridge-api/tokens", setting(objects, "BRIDGE_HTTP_TOKENS_FILE"));
            assertTrue(container.path("volumeMounts").toString().contains("\"mountPath\":\"/etc/ncp-snapshot-bridge-api\""));
            JsonNode volumes = deployment(objects).at("/spec/template/spec/volumes");
            assertTrue(volumes.toString().contains("\"secretName\":\"ncp-snapshot-bridge-api-tokens\""), volumes.toString());
            assertTrue(volumes.toString().contains("\"secretName\":\"ncp-credentials\""), "the overlay's mounts stay");
            assertTrue(objects.stream().anyMatch(o -> "Service".equals(o.path("kind").asText())
                    && "ncp-snapshot-bridge-api".equals(o.at("/metadata/name").asText())));
            JsonNode ingress = Kustomize.only(objects, "NetworkPolicy").at("/spec/ingress");
            assertEquals(2, ingress.size(), "monitoring, and the API's callers: " + ingress);
            assertTrue(ingress.toString().contains("ncp-snapshot-bridge/api-client"));
        }
    }

    @Test
    void aNamePrefixReachesTheScaledObjectsTargetAndItsTriggerAuthentication() throws Exception {
        List<ObjectNode> objects = Kustomize.renderUserOverlay("prefix", "k8s/overlays/kafka", """
                namePrefix: team-a-
                resources:
                  - OVERLAY
                  - triggerauthentication.yaml
                patches:
                  - target:
                      kind: ScaledObject
                    patch: |-
                      - op: add
                        path: /spec/triggers/0/authenticationRef
                        value:
                          name: kafka-credentials
                """, Map.of("triggerauthentication.yaml", """
                apiVersion: keda.sh/v1alpha1
                kind: TriggerAuthentication
                metadata:
                  name: kafka-credentials
                spec:
                  secretTargetRef: []
                """));
        ObjectNode scaled = Kustomize.only(objects, "ScaledObject");
        assertNotNull(Kustomize.find(objects, "Deployment", "team-a-ncp-snapshot-bridge"), "the prefixed Deployment");
        assertEquals("team-a-ncp-snapshot-bridge", scaled.at("/spec/scaleTargetRef/name").asText());
        assertEquals("team-a-kafka-credentials", scaled.at("/spec/triggers/0/authenticationRef/name").asText());
    }

    @Test
    void thePrometheusOperatorComponentTakesOnlyItsOwnAnnotationsAndLabelsItsPodMonitor() throws Exception {
        List<ObjectNode> objects = Kustomize.renderUserOverlay("annotations", "k8s/overlays/kafka", """
                resources:
                  - OVERLAY
                components:
                  - ../../../k8s/components/prometheus-operator
                patches:
                  - target:
                      kind: Deployment
                    patch: |-
                      - op: add
                        path: /spec/template/metadata/annotations/example.com~1owner
                        value: team-a
                """, Map.of());
        JsonNode annotations = deployment(objects).at("/spec/template/metadata/annotations");
        assertEquals("team-a", annotations.path("example.com/owner").asText(), "a user's annotation stays: " + annotations);
        assertTrue(annotations.path("prometheus.io/scrape").isMissingNode(), annotations.toString());
        assertEquals("kube-prometheus-stack", Kustomize.only(objects, "PodMonitor").at("/metadata/labels/release").asText());
    }

    @Test
    void drainsAreNotBlockedByUnreadyPodsAndReplicasSpreadOverNodesAndZones() throws Exception {
        for (String overlay : List.of("kafka", "amqp", "file-drop")) {
            List<ObjectNode> objects = render(overlay);
            assertEquals("AlwaysAllow", Kustomize.only(objects, "PodDisruptionBudget")
                    .at("/spec/unhealthyPodEvictionPolicy").asText(), overlay);
            JsonNode spread = deployment(objects).at("/spec/template/spec/topologySpreadConstraints");
            assertTrue(spread.toString().contains("kubernetes.io/hostname")
                    && spread.toString().contains("topology.kubernetes.io/zone"), overlay + ": " + spread);
        }
    }
}
