package dev.parma.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.parma.contracts.Json;
import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.InstanceEvent;
import dev.parma.contracts.node.Isolation;
import dev.parma.contracts.node.OverheadSummary;
import dev.parma.contracts.node.OverheadSummary.Row;
import dev.parma.contracts.node.StartGroup;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The SRE overview: nodes, groups by phase, policy denials from both enforcement points (pre-flight in the control
 * plane, the guest on a node; kept after their groups are deleted) and the overhead table merged from the nodes'
 * {@code /overhead} endpoints, with a node that does not serve it listed as unavailable instead of failing the answer.
 */
@QuarkusTest
@DeploymentTestResources
class OverviewTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    /** A node agent's HTTP side: {@code /overhead} answers {@code summary}, or 404 when it is null. */
    static HttpServer agent(String nodeId, OverheadSummary summary) throws IOException {
        var server = FakeNodeAgent.serving(nodeId);
        server.createContext("/overhead", ex -> {
            byte[] body = summary == null ? new byte[0] : Json.mapper().writeValueAsBytes(summary);
            ex.sendResponseHeaders(summary == null ? 404 : 200, summary == null ? -1 : body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        return server;
    }

    static String endpoint(HttpServer s) {
        return "https://127.0.0.1:" + s.getAddress().getPort();
    }

    static JsonPath overview() {
        return given().get("/admin/overview?denials=200").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void nodesGroupsDenialsAndTheMergedOverheadTable() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String workload = "gzip-" + run;
        // 1, 2 and 3 CPU seconds in confidential groups over two nodes; 1 s twice in standard groups
        var a = agent("ov-a-" + run, new OverheadSummary("ov-a-" + run, List.of(
                new Row(workload, Isolation.CONFIDENTIAL, 1, 1, 1, 2, 4, 0.01),
                new Row(workload, Isolation.STANDARD, 2, 2, 2, 3, 4.5, 0))));
        var b = agent("ov-b-" + run, new OverheadSummary("ov-b-" + run, List.of(
                new Row(workload, Isolation.CONFIDENTIAL, 2, 5, 13, 6, 18, 0.05))));
        var silent = agent("ov-c-" + run, null);
        try (var nodeA = new TestNode(bootstrap, "ov-a-" + run).heartbeat(1000, true, endpoint(a));
                // no room on the others: this class's nodes must not take other classes' groups
                var nodeB = new TestNode(bootstrap, "ov-b-" + run).heartbeat(0, false, endpoint(b));
                var nodeC = new TestNode(bootstrap, "ov-c-" + run).heartbeat(0, false, endpoint(silent))) {
            await().atMost(TestNode.WAIT).until(() -> overview().getList("nodes.id").containsAll(
                    List.of(nodeA.id, nodeB.id, nodeC.id)));

            // pre-flight: the policy allows bash, the tenant asks for another command
            String policy = PolicyPreflightTest.policy(PolicyPreflightTest.RUST_POLICY);
            String denied = "/subscriptions/ov-" + run
                    + "/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/denied";
            given().contentType(ContentType.JSON).body(PolicyPreflightTest.rustGroup(policy, "[\"/bin/sh\"]"))
                    .put(denied + "?api-version=2025-09-01").then().statusCode(201);
            // the guest: a group the policy allows, placed on the SNP node, whose layer the guest refuses
            String refused = "/subscriptions/ov-" + run
                    + "/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/refused";
            // 20 vCPUs: more than other classes' SNP nodes offer, so it lands here
            given().contentType(ContentType.JSON).body(PolicyPreflightTest.rustGroup(policy, "[\"bash\"]")
                    .replace("\"cpu\":1,", "\"cpu\":20,")).put(refused + "?api-version=2025-09-01").then()
                    .statusCode(201);
            var start = nodeA.await(StartGroup.class, null, s -> s.workload().resourceId().equals(refused));
            nodeA.containerEvent(start, InstanceEvent.warning("rust", "PolicyDenied", "The UVM's execution policy"
                    + " denied mount_device for container 'rust': layer 0: deviceHash 'ab12' is not in the policy",
                    Instant.now()));

            await().atMost(TestNode.WAIT).untilAsserted(() -> {
                List<Map<String, Object>> denials = overview().getList("denials");
                assertThat(denials).anySatisfy(d -> {
                    assertThat(d).containsEntry("resourceId", refused).containsEntry("container", "rust")
                            .containsEntry("enforcementPoint", "mount_device")
                            .containsEntry("reason", "layer 0: deviceHash 'ab12' is not in the policy");
                });
                assertThat(denials).anySatisfy(d -> {
                    assertThat(d).containsEntry("resourceId", denied).containsEntry("container", "rust")
                            .containsEntry("enforcementPoint", "preflight");
                    assertThat((String) d.get("reason")).startsWith("command: the container would run [/bin/sh]");
                });
            });

            var o = overview();
            // newest first
            List<String> times = o.getList("denials.time");
            assertThat(times).isSortedAccordingTo((x, y) -> Instant.parse(y).compareTo(Instant.parse(x)));
            assertThat(o.getList("groups.findAll { it.phase == 'Failed' && it.sku == 'Confidential' }.count",
                    Integer.class)).singleElement().satisfies(n -> assertThat(n).isPositive());
            var node = o.getMap("nodes.find { it.id == '" + nodeA.id + "' }");
            assertThat(node).containsEntry("snp", true).containsEntry("simulated", true)
                    .containsEntry("tcb", "db18000000000004").containsEntry("live", true);

            assertThat(o.getList("overhead.answered")).contains(nodeA.id, nodeB.id);
            assertThat(o.getList("overhead.unavailable")).contains(nodeC.id).doesNotContain(nodeA.id, nodeB.id);
            var row = "overhead.workloads.find { it.workload == '" + workload + "' }";
            assertThat(o.getLong(row + ".confidential.runs")).isEqualTo(3);
            assertThat(o.getDouble(row + ".confidential.cpuSeconds")).isCloseTo(2.0, within(1e-9));
            assertThat(o.getDouble(row + ".confidential.cpuStddev")).isCloseTo(1.0, within(1e-9));
            assertThat(o.getDouble(row + ".standard.cpuSeconds")).isCloseTo(1.0, within(1e-9));
            assertThat(o.getDouble(row + ".cpuRatio")).isCloseTo(2.0, within(1e-9));
            assertThat(o.getDouble(row + ".wallRatio")).isCloseTo(8.0 / 3 / 1.5, within(1e-6));
            assertThat(o.getDouble(row + ".policyShare")).isCloseTo(0.06 / 8, within(1e-6));

            nodeA.drain(true, endpoint(a));
            given().delete(denied + "?api-version=2025-09-01").then().statusCode(200);
            given().delete(refused + "?api-version=2025-09-01").then().statusCode(202);
            nodeA.removed(nodeA.await(DeleteGroup.class, start.groupId()));
            await().atMost(TestNode.WAIT).until(() -> given().get(refused + "?api-version=2025-09-01")
                    .statusCode() == 404);
            // denials are a security signal: they outlive their groups
            assertThat(overview().getList("denials.resourceId", String.class)).contains(denied, refused);
        } finally {
            a.stop(0);
            b.stop(0);
            silent.stop(0);
        }
    }

    @Test
    void anOutOfRangeDenialCountIsACloudError() {
        given().get("/admin/overview?denials=100000").then().statusCode(400)
                .body("error.code", org.hamcrest.Matchers.equalTo("InvalidParameter"))
                .body("error.target", org.hamcrest.Matchers.equalTo("denials"));
    }
}
