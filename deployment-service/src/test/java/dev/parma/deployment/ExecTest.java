package dev.parma.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpServer;
import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.StartGroup;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * ACI's Containers_ExecuteCommand relayed to the node running the group: the node's session answer comes back as
 * is; a missing group or container is 404, a group that does not run 409, an unreachable node 503, a bad body 400
 * naming the field.
 */
@QuarkusTest
@DeploymentTestResources
class ExecTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    static final String BODY = "{\"command\":\"/bin/sh\",\"terminalSize\":{\"rows\":24,\"cols\":80}}";

    @Test
    void anExecIsRelayedToTheGroupsNodeAndRefusedWhereItCannotRun() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> asked = new CopyOnWriteArrayList<>();
        var agent = FakeNodeAgent.serving("exec-" + run);
        agent.createContext("/groups/", ex -> {
            asked.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " "
                    + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = "{\"webSocketUri\":\"ws://node:1/exec/abc\",\"password\":\"pw-1\"}".getBytes(
                    StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        String group = "/subscriptions/exec-" + run
                + "/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/web";
        String exec = group + "/containers/app/exec?api-version=2025-09-01";
        // 25 vCPUs on a node of exactly 25: best fit puts it here, not on another class's node
        try (var node = new TestNode(bootstrap, "exec-" + run).heartbeat(25, false,
                FakeNodeAgent.endpoint(agent))) {
            given().contentType(ContentType.JSON).body(BODY).post(exec).then().statusCode(404)
                    .body("error.code", equalTo("ResourceNotFound"));
            await().atMost(TestNode.WAIT).until(() -> given().get("/admin/nodes").jsonPath().getList("value.id")
                    .contains(node.id));
            given().contentType(ContentType.JSON).body("""
                    {"location":"westeurope","properties":{"containers":[{"name":"app","properties":{
                      "image":"busybox:1.36","command":["sleep","600"],
                      "resources":{"requests":{"cpu":25,"memoryInGB":1}}}}]}}""")
                    .put(group + "?api-version=2025-09-01").then().statusCode(201);
            var start = node.await(StartGroup.class, null, s -> s.workload().resourceId().equals(group));

            // placed but not running yet
            given().contentType(ContentType.JSON).body(BODY).post(exec).then().statusCode(409)
                    .body("error.code", equalTo("ContainerGroupNotRunning"));
            node.running(start);
            await().atMost(TestNode.WAIT).untilAsserted(() -> given().get(group + "?api-version=2025-09-01").then()
                    .body("properties.instanceView.state", equalTo("Running")));

            given().contentType(ContentType.JSON).body(BODY).post(exec).then().statusCode(200)
                    .body("webSocketUri", equalTo("ws://node:1/exec/abc")).body("password", equalTo("pw-1"));
            assertThat(asked).containsExactly("POST /groups/" + start.groupId()
                    + "/containers/app/exec {\"command\":\"/bin/sh\",\"rows\":24,\"cols\":80}");
            given().contentType(ContentType.JSON).body(BODY)
                    .post(group + "/containers/nope/exec?api-version=2025-09-01").then().statusCode(404)
                    .body("error.code", equalTo("ContainerNotFound"));

            // bad bodies name the field; nothing reaches the node
            for (String[] bad : new String[][]{{"{}", "command"}, {"{\"command\":\"  \"}", "command"},
                    {"{\"command\":7}", "command"}, {"{\"command\":\"" + "x".repeat(4097) + "\"}", "command"},
                    {"{\"command\":\"sh\",\"terminalSize\":{\"rows\":0}}", "terminalSize.rows"},
                    {"{\"command\":\"sh\",\"terminalSize\":{\"cols\":1001}}", "terminalSize.cols"},
                    {"{\"command\":\"sh\",\"terminalSize\":{\"cols\":\"wide\"}}", "terminalSize.cols"}}) {
                given().contentType(ContentType.JSON).body(bad[0]).post(exec).then().statusCode(400)
                        .body("error.target", equalTo(bad[1]));
            }
            assertThat(asked).hasSize(1);

            // the node stops answering
            agent.stop(0);
            given().contentType(ContentType.JSON).body(BODY).post(exec).then().statusCode(503)
                    .body("error.code", equalTo("NodeUnavailable"));

            node.drain(false, null);
            given().delete(group + "?api-version=2025-09-01").then().statusCode(202);
            node.removed(node.await(DeleteGroup.class, start.groupId()));
        }
    }
}
