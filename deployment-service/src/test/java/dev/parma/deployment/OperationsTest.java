package dev.parma.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parma.contracts.Json;
import dev.parma.contracts.events.EventTypes;
import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.StartGroup;
import dev.parma.deployment.node.NodeEntity;
import dev.parma.testsupport.KafkaTestClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The group lifecycle through the tenant operations, with the test playing the nodes: restart, stop, start,
 * a lost node, and the lifecycle and billing events outside systems consume.
 */
@QuarkusTest
@DeploymentTestResources
class OperationsTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    // Other test classes share this application and its node pool: the group asks for more CPU (10) than their
    // nodes have, and our nodes are large, so whatever else lands on them, this group goes to ours.
    @Test
    void restartStopStartAndANodeLossAreVisibleToTenantsAndToBilling() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String sub = "ops-" + run;
        String base = "/subscriptions/" + sub
                + "/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/app";
        String q = "?api-version=2025-09-01";
        try (var a = new TestNode(bootstrap, "ops-a-" + run).heartbeat(1000, false);
                var b = new TestNode(bootstrap, "ops-b-" + run);
                var outside = new KafkaTestClient(bootstrap, EventTypes.LIFECYCLE_TOPIC, EventTypes.BILLING_TOPIC,
                        EventTypes.QUOTA_TOPIC)) {
            awaitNode(a.id);
            given().contentType(ContentType.JSON).body("""
                    {"location":"westeurope","tags":{"cost-center":"42"},"properties":{"containers":[{"name":"c",
                    "properties":{"image":"busybox","command":["sleep","999"],
                    "resources":{"requests":{"cpu":10,"memoryInGB":2}}}}]}}""").put(base + q).then().statusCode(201);
            // Other classes' waiting groups may land on this big node too: take the command for our group.
            var start1 = a.await(StartGroup.class, null, s -> s.workload().resourceId().equals(base));
            String groupId = start1.groupId();
            String resourceId = start1.workload().resourceId();
            a.running(start1);
            awaitState(base + q, "Succeeded", "Running");

            // Billing: per-second usage of the requested 1 CPU / 2 GB, published while running.
            var usage = outside.await(r -> r.topic().equals(EventTypes.BILLING_TOPIC)
                    && r.value().contains("Standard vCPU Duration") && r.value().contains(resourceId), WAIT);
            JsonNode u = Json.mapper().readTree(usage.value());
            assertThat(u.get("specversion").asText()).isEqualTo("1.0");
            assertThat(u.get("type").asText()).isEqualTo(EventTypes.USAGE);
            assertThat(u.at("/data/unitOfMeasure").asText()).isEqualTo("vCPU Second");
            assertThat(u.at("/data/quantity").asDouble()).isGreaterThan(0);
            assertThat(u.at("/data/tags/cost-center").asText()).isEqualTo("42");
            assertThat(u.get("id").asText()).isEqualTo(u.at("/data/idempotencyKey").asText());

            // Restart: a new generation on the same node.
            given().post(base + "/restart" + q).then().statusCode(204);
            var start2 = a.await(StartGroup.class, groupId, s -> s.generation() == 2);
            given().get(base + q).then().body("properties.provisioningState", equalTo("Updating"));
            a.running(start2);
            awaitState(base + q, "Succeeded", "Running");

            // Stop: synchronous, deallocates (the node is told to remove it), quota released, billing stops.
            given().post(base + "/stop" + q).then().statusCode(204);
            a.await(DeleteGroup.class, groupId);
            given().get(base + q).then().body("properties.provisioningState", equalTo("Succeeded"))
                    .body("properties.instanceView.state", equalTo("Stopped"));
            given().get("/subscriptions/" + sub + "/providers/Microsoft.ContainerInstance/locations/westeurope/usages")
                    .then().body("value.find { it.name.value == 'StandardContainerGroups' }.currentValue",
                            equalTo(0.0f));
            var billingAtStop = billing(outside, resourceId, Duration.ofSeconds(1));
            var afterStop = billing(outside, resourceId, Duration.ofSeconds(3));
            assertThat(afterStop).as("no usage while stopped").hasSameSizeAs(billingAtStop);
            checkContiguousAndUnique(afterStop);

            // Start: scheduled again.
            given().post(base + "/start" + q).then().statusCode(202);
            given().post(base + "/start" + q).then().statusCode(204); // already starting
            a.running(a.await(StartGroup.class, groupId));
            awaitState(base + q, "Succeeded", "Running");

            // Node a goes silent: the group is moved to node b.
            b.heartbeat(1000, false);
            awaitNode(b.id);
            a.silence();
            // its last heartbeat must be in before we backdate it, or that heartbeat makes it live again
            await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(
                    () -> !NodeEntity.<NodeEntity>findById(a.id).lastSeen.isBefore(a.lastBeat)));
            QuarkusTransaction.requiringNew().run(() -> NodeEntity.update("lastSeen = ?1 where id = ?2",
                    Instant.now().minusSeconds(3600), a.id));
            var moved = b.await(StartGroup.class, groupId);
            given().get(base + q).then().body("properties.provisioningState", equalTo("Repairing"));
            b.running(moved);
            awaitState(base + q, "Succeeded", "Running");
            given().get(base + q).then().body("properties.instanceView.events.name",
                    org.hamcrest.Matchers.hasItem("NodeLost"));
            var nodes = given().get("/admin/nodes").then().statusCode(200).extract().jsonPath();
            assertThat(nodes.getBoolean("value.find { it.id == '" + a.id + "' }.live")).isFalse();
            assertThat(nodes.getBoolean("value.find { it.id == '" + b.id + "' }.live")).isTrue();
            assertThat(nodes.getDouble("value.find { it.id == '" + b.id + "' }.cpuReserved"))
                    .isGreaterThanOrEqualTo(10.0);
            assertThat(nodes.getInt("value.find { it.id == '" + b.id + "' }.groups")).isPositive();

            var lifecycle = outside.drain(Duration.ofMillis(500)).stream()
                    .filter(r -> r.topic().equals(EventTypes.LIFECYCLE_TOPIC) && r.key().equals(resourceId))
                    .map(r -> type(r.value())).toList();
            assertThat(lifecycle).containsSubsequence(EventTypes.CREATED, EventTypes.RUNNING, EventTypes.STOPPED,
                    EventTypes.RUNNING);
            assertThat(outside.drain(Duration.ZERO)).anyMatch(r -> r.topic().equals(EventTypes.QUOTA_TOPIC)
                    && type(r.value()).equals(EventTypes.QUOTA_RELEASED));
        }
    }

    @Test
    void listsPageWithNextLinkAndIllegalOperationsAreConflicts() {
        String sub = "list-" + UUID.randomUUID();
        for (String name : List.of("one", "two", "three")) {
            given().contentType(ContentType.JSON).body(QuotaTest.body(0.1)).put(QuotaTest.group(sub, name))
                    .then().statusCode(201);
        }
        var first = given().get("/subscriptions/" + sub + "/providers/Microsoft.ContainerInstance/containerGroups"
                + "?api-version=2025-09-01").then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("value.name")).containsExactly("one", "three");
        String next = first.getString("nextLink");
        assertThat(next).contains("$skipToken=");
        var second = given().get(java.net.URI.create(next).getRawPath() + "?" + java.net.URI.create(next).getRawQuery())
                .then().statusCode(200).extract().jsonPath();
        assertThat(second.getList("value.name")).containsExactly("two");
        assertThat(second.getString("nextLink")).isNull();
        given().get("/subscriptions/" + sub + "/resourceGroups/RG/providers/Microsoft.ContainerInstance/containerGroups"
                + "?api-version=2025-09-01&$skipToken=%%%").then().statusCode(400);
        // a token that decodes to NUL ("rg/\0") would reach PostgreSQL as text: refused first
        String nul = java.util.Base64.getUrlEncoder().encodeToString("rg/\0".getBytes(StandardCharsets.UTF_8));
        given().get("/subscriptions/" + sub + "/providers/Microsoft.ContainerInstance/containerGroups"
                + "?api-version=2025-09-01&$skipToken=" + nul).then().statusCode(400)
                .body("error.code", equalTo("InvalidSkipToken"));

        // A stopped group cannot restart (start it first); stopping it again changes nothing.
        given().post(QuotaTest.group(sub, "one").replace("?", "/stop?")).then().statusCode(204);
        given().post(QuotaTest.group(sub, "one").replace("?", "/restart?")).then().statusCode(409)
                .body("error.code", equalTo("Conflict"))
                .body("error.message", org.hamcrest.Matchers.containsString("Stopped"));
        given().post(QuotaTest.group(sub, "one").replace("?", "/stop?")).then().statusCode(204);
        given().post(QuotaTest.group(sub, "nope").replace("?", "/stop?")).then().statusCode(404);
    }

    private static List<JsonNode> billing(KafkaTestClient outside, String resourceId, Duration settle) {
        var out = new ArrayList<JsonNode>();
        for (var r : outside.drain(settle)) {
            if (r.topic().equals(EventTypes.BILLING_TOPIC) && r.key().equals(resourceId)) {
                try {
                    out.add(Json.mapper().readTree(r.value()));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        }
        return out;
    }

    /** Each meter's intervals follow each other without gap or overlap, and every id is unique. */
    private static void checkContiguousAndUnique(List<JsonNode> events) {
        assertThat(new HashSet<>(events.stream().map(e -> e.get("id").asText()).toList())).hasSize(events.size());
        for (String meter : List.of("Standard vCPU Duration", "Standard Memory Duration")) {
            var intervals = events.stream().filter(e -> e.at("/data/meterName").asText().equals(meter)).toList();
            assertThat(intervals).isNotEmpty();
            for (int i = 1; i < intervals.size(); i++) {
                assertThat(intervals.get(i).at("/data/usageStart").asText())
                        .isEqualTo(intervals.get(i - 1).at("/data/usageEnd").asText());
            }
        }
    }

    private static String type(String cloudEvent) {
        try {
            return Json.mapper().readTree(cloudEvent).get("type").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitNode(String id) {
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(() -> NodeEntity.findById(id) != null));
    }

    private static void awaitState(String url, String provisioning, String state) {
        await().atMost(WAIT).untilAsserted(() -> given().get(url).then()
                .body("properties.provisioningState", equalTo(provisioning))
                .body("properties.instanceView.state", equalTo(state)));
    }
}
