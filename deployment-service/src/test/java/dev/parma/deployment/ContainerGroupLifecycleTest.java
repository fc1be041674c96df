package dev.parma.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parma.contracts.Json;
import dev.parma.contracts.Topics;
import dev.parma.contracts.node.ContainerState;
import dev.parma.contracts.node.ContainerStatus;
import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.GroupRemoved;
import dev.parma.contracts.node.GroupRuntimeState;
import dev.parma.contracts.node.GroupStatus;
import dev.parma.contracts.node.InstanceEvent;
import dev.parma.contracts.node.NodeCommand;
import dev.parma.contracts.node.NodeHeartbeat;
import dev.parma.contracts.node.StartGroup;
import dev.parma.deployment.group.ContainerGroupEntity;
import dev.parma.deployment.node.NodeEntity;
import dev.parma.testsupport.KafkaTestClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The deployment service against the real broker and database, with the test playing two nodes: placement
 * picks the best fit, only that node's topic gets the command, node events drive the ARM state, replays are
 * harmless, and delete completes when the node confirms.
 */
@QuarkusTest
@DeploymentTestResources
class ContainerGroupLifecycleTest {

    static final String SUB = "sub-lifecycle";
    static final String PATH = "/subscriptions/" + SUB
            + "/resourceGroups/Demo-RG/providers/Microsoft.ContainerInstance/containerGroups/web?api-version=2025-09-01";
    static final Duration WAIT = Duration.ofSeconds(20);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void groupRunsOnTheBestFitNodeAndIsDeletedWhenTheNodeConfirms() throws Exception {
        try (var kafka = new KafkaTestClient(bootstrap, Topics.nodeCommands("node-big"),
                Topics.nodeCommands("node-small"))) {
            heartbeat(kafka, "node-big", 8);
            heartbeat(kafka, "node-small", 2);
            await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew()
                    .call(() -> NodeEntity.count("id in ?1", List.of("node-big", "node-small")) == 2));

            var body = """
                    {"location":"West Europe","tags":{"team":"a","workload":"kv-load"},"properties":{"containers":[{"name":"app","properties":{
                      "image":"busybox:1.36","command":["sleep","600"],
                      "environmentVariables":[{"name":"MODE","value":"demo"},{"name":"TOKEN","secureValue":"s3cr3t-value"}],
                      "resources":{"requests":{"cpu":1.5,"memoryInGB":1}}}}]}}""";
            var put = given().contentType(ContentType.JSON).body(body).put(PATH)
                    .then().statusCode(201)
                    .header("Azure-AsyncOperation", startsWith("https://"))
                    .header("Location", startsWith("https://"))
                    .header("Retry-After", equalTo("2"))
                    .body("properties.provisioningState", equalTo("Creating"))
                    .body("location", equalTo("westeurope"))
                    .body(not(org.hamcrest.Matchers.containsString("s3cr3t-value")))
                    .extract();
            String operation = URI.create(put.header("Azure-AsyncOperation")).getPath();

            // Best fit: 2 CPUs left on node-small beats 8 on node-big, and only node-small's topic gets it.
            var record = kafka.await(r -> r.topic().equals(Topics.nodeCommands("node-small")), WAIT);
            var start = (StartGroup) Json.mapper().readValue(record.value(), NodeCommand.class);
            // the secure value travels sealed to node-small: not on the topic, only in the node's box
            assertThat(record.value()).doesNotContain("s3cr3t-value");
            assertThat(TestNode.opened(start, "node-small").containers().get(0).environmentVariables())
                    .anySatisfy(v -> assertThat(v.secure() && v.value().equals("s3cr3t-value")).isTrue());
            assertThatThrownBy(() -> TestNode.opened(start, "node-big")).as("another node cannot open it")
                    .isInstanceOf(dev.parma.identity.UntrustedIdentityException.class);
            // and at rest the database holds it sealed
            String column = QuarkusTransaction.requiringNew().call(() -> (String) ContainerGroupEntity
                    .getEntityManager().createNativeQuery("select spec from container_groups where id = ?1")
                    .setParameter(1, start.groupId()).getSingleResult());
            assertThat(column).doesNotContain("s3cr3t-value").contains("sealed:v1:");
            assertThat(start.workload().workloadName()).as("the workload tag names the overhead row")
                    .isEqualTo("kv-load");
            assertThat(kafka.drain(Duration.ofMillis(500)))
                    .noneMatch(r -> r.topic().equals(Topics.nodeCommands("node-big")));

            var now = Instant.now();
            var running = new GroupStatus("evt-1", "node-small", start.groupId(), start.generation(),
                    GroupRuntimeState.Running,
                    List.of(new ContainerStatus("app", ContainerState.running(now), null, 0)),
                    List.of(InstanceEvent.normal("app", "Started", "Started container", now)), now);
            kafka.send(Topics.NODE_EVENTS, start.groupId(), Json.mapper().writeValueAsString(running));
            kafka.send(Topics.NODE_EVENTS, start.groupId(), Json.mapper().writeValueAsString(running)); // replay

            await().atMost(WAIT).untilAsserted(() -> given().get(PATH).then().statusCode(200)
                    .body("properties.provisioningState", equalTo("Succeeded"))
                    .body("properties.instanceView.state", equalTo("Running"))
                    .body("properties.containers[0].properties.instanceView.currentState.state", equalTo("Running")));
            Thread.sleep(500);
            JsonNode view = Json.mapper().readTree(given().get(PATH).asString());
            var events = view.at("/properties/containers/0/properties/instanceView/events");
            assertThat(events).hasSize(1);
            assertThat(events.get(0).get("count").asInt()).as("a replayed event is applied once").isEqualTo(1);
            assertThat(view.at("/properties/containers/0/properties/environmentVariables/1").has("secureValue"))
                    .isFalse();
            given().get(operation).then().statusCode(200).body("status", equalTo("Succeeded"));

            var delete = given().delete(PATH).then().statusCode(202).extract();
            String deleteOperation = URI.create(delete.header("Azure-AsyncOperation")).getPath();
            var deleteRecord = kafka.await(r -> r.topic().equals(Topics.nodeCommands("node-small"))
                    && r.value().contains("DeleteGroup"), WAIT);
            var del = (DeleteGroup) Json.mapper().readValue(deleteRecord.value(), NodeCommand.class);
            given().get(PATH).then().statusCode(200).body("properties.provisioningState", equalTo("Deleting"));
            given().get(deleteOperation).then().body("status", equalTo("InProgress"));

            kafka.send(Topics.NODE_EVENTS, del.groupId(), Json.mapper().writeValueAsString(
                    new GroupRemoved("evt-2", "node-small", del.groupId(), del.generation(), Instant.now())));
            await().atMost(WAIT).untilAsserted(() -> given().get(PATH).then().statusCode(404));
            given().get(deleteOperation).then().statusCode(200).body("status", equalTo("Succeeded"));
        }
    }

    @Test
    void aGroupNoNodeCanHoldWaitsPendingWithAnEvent() {
        var body = """
                {"location":"westeurope","properties":{"containers":[{"name":"huge","properties":{
                  "image":"busybox","command":["true"],"resources":{"requests":{"cpu":30,"memoryInGB":1}}}}]}}""";
        given().contentType(ContentType.JSON).body(body)
                .put(PATH.replace("/web?", "/huge?"))
                .then().statusCode(201)
                .body("properties.provisioningState", equalTo("Pending"))
                .body("properties.instanceView.events[0].name", equalTo("NoCapacity"))
                .body("properties.instanceView.events[0].type", equalTo("Warning"));
    }

    private static void heartbeat(KafkaTestClient kafka, String node, double cpu) throws Exception {
        kafka.send(Topics.NODE_HEARTBEATS, node, Json.mapper().writeValueAsString(
                new NodeHeartbeat(node, "none", false, false, null, cpu, 16, 0, 0, 0, Instant.now(), null, null,
                        TestNode.sealingCertificate(node))));
    }
}
