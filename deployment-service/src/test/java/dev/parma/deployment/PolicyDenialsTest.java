package dev.parma.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parma.contracts.Json;
import dev.parma.contracts.events.EventTypes;
import dev.parma.contracts.events.PolicyDenial;
import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.InstanceEvent;
import dev.parma.contracts.node.StartGroup;
import dev.parma.deployment.denial.DenialLog;
import dev.parma.testsupport.KafkaTestClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The denial store: pre-flight's denials and the guests' (reported by a node) are each stored once, even when Kafka
 * delivers a node event again; they stay after their group is deleted until the retention purge; each is published
 * as a CloudEvent on the lifecycle topic; and no secure value of the group is ever in a stored reason or an event.
 */
@QuarkusTest
@DeploymentTestResources
class PolicyDenialsTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    DenialLog log;

    static JsonPath denials(String subscription) {
        return given().get("/admin/policy-denials?top=200&subscription=" + subscription).then().statusCode(200)
                .extract().jsonPath();
    }

    /** A group body with one more environment variable, TOKEN, whose value is write-only. */
    static String withSecret(String body, String secret) {
        return body.replace("\"environmentVariables\":[",
                "\"environmentVariables\":[{\"name\":\"TOKEN\",\"secureValue\":\"" + secret + "\"},");
    }

    static String type(ConsumerRecord<String, String> r) {
        try {
            return Json.mapper().readTree(r.value()).path("type").asText();
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void preflightAndGuestDenialsAreStoredOncePublishedWithoutSecretsAndOutliveTheirGroups() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String sub = "pd-" + run;
        String secret = "s3cr3t-" + run;
        String policy = PolicyPreflightTest.policy(PolicyPreflightTest.RUST_POLICY);
        String groups = "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.ContainerInstance"
                + "/containerGroups/";
        String denied = groups + "denied";
        String refused = groups + "refused";
        try (var node = new TestNode(bootstrap, "pd-" + run).heartbeat(1000, true);
                var outside = new KafkaTestClient(bootstrap, EventTypes.LIFECYCLE_TOPIC)) {
            await().atMost(TestNode.WAIT).until(() -> given().get("/admin/nodes").jsonPath()
                    .getList("value.id").contains(node.id));

            // pre-flight: the policy allows bash, the tenant asks for another command
            given().contentType(ContentType.JSON).body(withSecret(PolicyPreflightTest.rustGroup(policy,
                    "[\"/bin/sh\"]"), secret)).put(denied + "?api-version=2025-09-01").then().statusCode(201)
                    .body("properties.provisioningState", equalTo("Failed"));
            // the guest: a group pre-flight allows (20 vCPUs: only this class's node has room), refused on the node
            given().contentType(ContentType.JSON).body(withSecret(PolicyPreflightTest.rustGroup(policy, "[\"bash\"]")
                    .replace("\"cpu\":1,", "\"cpu\":20,"), secret)).put(refused + "?api-version=2025-09-01").then()
                    .statusCode(201);
            var start = node.await(StartGroup.class, null, s -> s.workload().resourceId().equals(refused));
            // a guest that echoes the secure value, plainly and inside its encoded decision
            String decision = Base64.getEncoder().encodeToString(("{\"decision\":\"deny\",\"input\":{\"envList\":"
                    + "[\"TOKEN=" + secret + "\"]}}").getBytes(StandardCharsets.UTF_8));
            var leaky = node.containerEvent(start, InstanceEvent.warning("rust", "PolicyDenied", "The UVM's"
                    + " execution policy denied create_container for container 'rust': invalid env list: TOKEN="
                    + secret + " policyDecision< " + decision + " >policyDecision", Instant.now()));
            node.redeliver(leaky);
            node.redeliver(leaky);
            // a later event of the group (same partition): once it is stored, both redeliveries were consumed
            node.containerEvent(start, InstanceEvent.warning("rust", "PolicyDenied", "The UVM's execution policy"
                    + " denied mount_device for container 'rust': layer 0: deviceHash 'ab12' is not in the policy",
                    Instant.now()));
            await().atMost(TestNode.WAIT).until(() -> denials(sub).getList("value.enforcementPoint")
                    .contains("mount_device"));

            List<Map<String, Object>> rows = denials(sub).getList("value");
            assertThat(rows).filteredOn(d -> "create_container".equals(d.get("enforcementPoint"))).singleElement()
                    .satisfies(d -> {
                        assertThat(d).containsEntry("resourceId", refused).containsEntry("container", "rust")
                                .containsEntry("source", "guest").containsEntry("nodeId", node.id)
                                .containsEntry("count", 1); // a second row would fold into count 2
                        assertThat((String) d.get("reason")).startsWith("invalid env list: TOKEN=<redacted>")
                                .contains("policyDecision<");
                    });
            assertThat(rows).filteredOn(d -> "preflight".equals(d.get("source"))).isNotEmpty()
                    .allSatisfy(d -> {
                        assertThat(d).containsEntry("resourceId", denied).containsEntry("enforcementPoint",
                                "preflight").containsEntry("container", "rust");
                        assertThat(d.get("nodeId")).isNull();
                    })
                    .anySatisfy(d -> assertThat((String) d.get("reason"))
                            .startsWith("command: the container would run [/bin/sh]"));
            String stored = given().get("/admin/policy-denials?top=200&subscription=" + sub).asString();
            assertThat(stored).doesNotContain(secret);
            String storedDecision = stored.replaceAll("(?s).*policyDecision< (\\S+) >policyDecision.*", "$1");
            assertThat(new String(Base64.getDecoder().decode(storedDecision), StandardCharsets.UTF_8))
                    .contains("TOKEN=<redacted>").doesNotContain(secret);
            // the tenant's own view of the group: the event is there, the secret is not (nor in its base64 decision)
            String view = given().get(refused + "?api-version=2025-09-01").asString();
            assertThat(view).contains("PolicyDenied").contains("<redacted>").doesNotContain(secret)
                    .doesNotContain(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));

            // outside systems: a CloudEvent per stored denial, keyed by the group's resource id
            outside.await(r -> r.key().equals(refused) && type(r).equals(EventTypes.POLICY_DENIED)
                    && r.value().contains("mount_device"), TestNode.WAIT);
            outside.await(r -> r.key().equals(denied) && type(r).equals(EventTypes.POLICY_DENIED), TestNode.WAIT);
            // the relay publishes in outbox order, so anything the redeliveries had written is here by now
            var events = outside.drain(Duration.ZERO).stream().filter(r -> type(r).equals(EventTypes.POLICY_DENIED)
                    && (r.key().equals(refused) || r.key().equals(denied))).toList();
            assertThat(events).allSatisfy(r -> assertThat(r.value()).doesNotContain(secret));
            assertThat(events).filteredOn(r -> r.value().contains("create_container")).singleElement()
                    .satisfies(r -> {
                        JsonNode e = Json.mapper().readTree(r.value());
                        assertThat(e.path("id").asText()).isEqualTo("node:" + leaky.eventId() + ":0");
                        assertThat(e.path("subject").asText()).isEqualTo(refused);
                        assertThat(e.at("/data/source").asText()).isEqualTo("guest");
                        assertThat(e.at("/data/nodeId").asText()).isEqualTo(node.id);
                        assertThat(e.at("/data/groupId").asText()).isEqualTo(start.groupId());
                    });
            assertThat(events).filteredOn(r -> r.key().equals(denied))
                    .hasSameSizeAs(rows.stream().filter(d -> "preflight".equals(d.get("source"))).toList())
                    .allSatisfy(r -> assertThat(Json.mapper().readTree(r.value()).at("/data/enforcementPoint")
                            .asText()).isEqualTo("preflight"));

            // the groups go, their denials stay
            node.drain(true, null);
            given().delete(denied + "?api-version=2025-09-01").then().statusCode(200);
            given().delete(refused + "?api-version=2025-09-01").then().statusCode(202);
            node.removed(node.await(DeleteGroup.class, start.groupId()));
            await().atMost(TestNode.WAIT).until(() -> given().get(refused + "?api-version=2025-09-01")
                    .statusCode() == 404);
            assertThat(denials(sub).getList("value.resourceId", String.class)).contains(denied, refused);
        }
    }

    @Test
    void thePurgeDropsDenialsOlderThanTheRetentionOnly() {
        String sub = "pd-purge-" + UUID.randomUUID().toString().substring(0, 8);
        // the purge as it will run two days from now: rows 29 and 27 days old today are 31 and 29 days old then
        // (the scheduled purge, cutting at 30 days today, leaves both alone meanwhile)
        Instant later = Instant.now().plus(Duration.ofDays(2));
        QuarkusTransaction.requiringNew().run(() -> {
            log.record(sub + ":old", denial(sub, later.minus(Duration.ofDays(31)), "old"));
            log.record(sub + ":recent", denial(sub, later.minus(Duration.ofDays(29)), "recent"));
            log.record(sub + ":recent", denial(sub, later, "the same id again"));
        });
        assertThat(denials(sub).getList("value.reason")).containsExactly("recent", "old");

        assertThat(log.purge(later)).isPositive();

        assertThat(denials(sub).getList("value.reason")).containsExactly("recent");
    }

    static PolicyDenial denial(String subscription, Instant at, String reason) {
        return new PolicyDenial(at, subscription, "/subscriptions/" + subscription + "/resourceGroups/rg/providers"
                + "/Microsoft.ContainerInstance/containerGroups/g", UUID.randomUUID().toString(), "c", "mount_device",
                reason, PolicyDenial.Source.GUEST, "node-a");
    }

    @Test
    void anOutOfRangeCountIsACloudError() {
        given().get("/admin/policy-denials?top=0").then().statusCode(400)
                .body("error.code", equalTo("InvalidParameter")).body("error.target", equalTo("top"));
    }
}
