package io.github.ncpsnapshotbridge;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.github.ncpsnapshotbridge.testsupport.DropFolderResource;
import io.github.ncpsnapshotbridge.testsupport.DropFolders;
import io.github.ncpsnapshotbridge.testsupport.InjectDropFolders;
import io.github.ncpsnapshotbridge.testsupport.NcpFakeResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** What an operator's probes and Prometheus see. */
@QuarkusTest
@QuarkusTestResource(NcpFakeResource.class)
@QuarkusTestResource(DropFolderResource.class)
class ObservabilityTest {

    @InjectDropFolders
    DropFolders folders;

    private static double metric(String name, String labels) {
        String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} ([0-9.eE+-]+)$").matcher(text);
        double sum = 0;
        while (m.find()) {
            boolean all = true;
            for (String label : labels.split(",")) {
                all &= label.isEmpty() || m.group(1).contains(label);
            }
            if (all) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    @Test
    void probesReportTheCamelContextAndNcp() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("kafka", "amqp", "ncp"))
                .body("checks.find { it.name == 'ncp' }.data.outage", equalTo(false));
    }

    @Test
    void metricsCountOutcomesByChannelAndTimeNcpCalls() {
        double createdBefore = metric("bridge_requests_total", "channel=\"file\",outcome=\"created\"");
        double rejectedBefore = metric("bridge_requests_total", "channel=\"file\",outcome=\"rejected\"");
        double callsBefore = metric("bridge_ncp_call_seconds_count", "action=\"createBlockStorageSnapshotInstance\",status=\"200\"");
        String id = "metrics-" + UUID.randomUUID();
        folders.drop(id + ".json", "[{\"requestId\":\"" + id + "-1\",\"blockStorageInstanceNo\":\"810001\"},"
                + "{\"requestId\":\"" + id + "-2\",\"blockStorageInstanceNo\":\"810002\"},"
                + "{\"requestId\":\"" + id + "-3\",\"blockStorageInstanceNo\":\"x\"}]");
        await().atMost(Duration.ofSeconds(20)).until(() -> folders.eventsForRequestIds(id).size() == 3);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertTrue(metric("bridge_requests_total", "channel=\"file\",outcome=\"created\"") >= createdBefore + 2);
            assertTrue(metric("bridge_requests_total", "channel=\"file\",outcome=\"rejected\"") >= rejectedBefore + 1);
            assertTrue(metric("bridge_ncp_call_seconds_count",
                    "action=\"createBlockStorageSnapshotInstance\",status=\"200\"") >= callsBefore + 2);
        });
        String text = given().when().get("/q/metrics").then().extract().asString();
        for (String name : new String[] {"bridge_ncp_call_seconds_bucket", "bridge_requests_in_flight", "bridge_intake_paused",
                "bridge_ncp_retries_total", "bridge_ncp_rate_limit_waits_total", "bridge_idempotency_stale_claims"}) {
            assertTrue(text.contains(name), name + " is exported");
        }
    }

    @Test
    void everyMeterOfTheBridgeSaysWhatItCounts() {
        String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher help = Pattern.compile("(?m)^# HELP (bridge_\\S+) (.*)$").matcher(text);
        java.util.List<String> empty = new java.util.ArrayList<>();
        int meters = 0;
        while (help.find()) {
            meters++;
            if (help.group(2).isBlank()) {
                empty.add(help.group(1));
            }
        }
        assertTrue(meters >= 8, "the bridge's meters are exported: " + meters);
        assertTrue(empty.isEmpty(), "meters without HELP text: " + empty);
    }
}
