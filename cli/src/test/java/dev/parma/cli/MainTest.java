package dev.parma.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The CLI's JSON, its deployment request, and deploy/watch against a stand-in gateway. */
class MainTest {

    @Test
    void jsonRoundTripsAndNamesLineAndColumn() {
        Object v = Json.parse("{\"a\": [1, 2.5, true, null, \"x\\\"y\"], // c\n \"b\": {}}");
        assertThat(Json.write(v)).isEqualTo("{\"a\":[1,2.5,true,null,\"x\\\"y\"],\"b\":{}}");
        assertThatThrownBy(() -> Json.parse("{\n  \"a\": ]")).hasMessageContaining("line 2, column 8");
    }

    @Test
    void theDeploymentRequestEmbedsTheTemplateVerbatimWithTypedParameters() {
        String template = "{\"resources\": [], \"x\": \"ccePolicy-bytes/+==\"}";
        String body = Main.deploymentBody(template, Map.of("port", "8080", "name", "web", "on", "true"), null);
        assertThat(body).contains(template);
        Object parsed = Json.parse(body);
        assertThat(Json.at(parsed, "properties", "parameters", "port", "value")).isEqualTo(8080L);
        assertThat(Json.at(parsed, "properties", "parameters", "name", "value")).isEqualTo("web");
        assertThat(Json.at(parsed, "properties", "parameters", "on", "value")).isEqualTo(true);
        String fromFile = Main.deploymentBody(template, Map.of(),
                "{\"parameters\": {\"a\": {\"value\": 1}}}");
        assertThat(Json.at(Json.parse(fromFile), "properties", "parameters", "a", "value")).isEqualTo(1L);
    }

    @Test
    void deployWatchesTheDeploymentAndItsGroupsToTheEnd() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        int[] polls = {0};
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " "
                    + ex.getRequestHeaders().getFirst("Authorization"));
            String path = ex.getRequestURI().getPath();
            String out;
            int status = 200;
            if (ex.getRequestMethod().equals("PUT")) {
                status = 201;
                out = "{\"properties\":{\"provisioningState\":\"Accepted\"}}";
            } else if (path.contains("/deployments/")) {
                boolean done = ++polls[0] > 2;
                out = "{\"properties\":{\"provisioningState\":\"" + (done ? "Succeeded" : "Running")
                        + "\",\"outputResources\":[{\"id\":\"/subscriptions/s/resourceGroups/rg/providers/"
                        + "Microsoft.ContainerInstance/containerGroups/g\"}],\"outputs\":{\"ip\":{\"value\":\"10.0.0.1\"}}}}";
            } else {
                out = "{\"properties\":{\"provisioningState\":\"Succeeded\",\"instanceView\":{\"state\":\"Running\"},"
                        + "\"containers\":[{\"name\":\"c\",\"properties\":{\"instanceView\":{\"currentState\":{\"state\":\"Running\"}}}}]}}";
            }
            byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        server.start();
        try {
            var buffer = new ByteArrayOutputStream();
            var main = new Main(new PrintStream(buffer, true, StandardCharsets.UTF_8),
                    Map.of("PARMA_GATEWAY", "http://127.0.0.1:" + server.getAddress().getPort(), "PARMA_TOKEN", "t0k",
                            "PARMA_SUBSCRIPTION", "s", "PARMA_RESOURCE_GROUP", "rg"));
            main.poll = java.time.Duration.ofMillis(10);
            var file = java.nio.file.Files.createTempFile("tmpl", ".json");
            java.nio.file.Files.writeString(file, "{\"resources\": []}");
            int code = main.run(new String[]{"deploy", file.toString(), "--param", "a=1", "--name", "d1"});
            String printed = buffer.toString(StandardCharsets.UTF_8);
            assertThat(code).as(printed).isZero();
            assertThat(printed).contains("deployment d1: Running").contains("deployment d1: Succeeded")
                    .contains("g: Succeeded / Running  [##########] 1/1 containers running").contains("ip = 10.0.0.1");
            assertThat(seen.get(0)).isEqualTo(
                    "PUT /subscriptions/s/resourceGroups/rg/providers/Microsoft.Resources/deployments/d1 Bearer t0k");
            assertThat(main.run(new String[]{"watch", "g"})).isZero();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void execAsksTheGatewayWithTheWholeCommandAndReportsItsRefusal() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " "
                    + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] bytes = "{\"error\":{\"code\":\"ContainerGroupNotRunning\",\"message\":\"not running\"}}"
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(409, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        server.start();
        try {
            var buffer = new ByteArrayOutputStream();
            var main = new Main(new PrintStream(buffer, true, StandardCharsets.UTF_8),
                    Map.of("PARMA_GATEWAY", "http://127.0.0.1:" + server.getAddress().getPort(), "PARMA_SUBSCRIPTION",
                            "s", "PARMA_RESOURCE_GROUP", "rg"));
            assertThat(main.run(new String[]{"exec", "web", "app", "/bin/sh", "-c", "ls /"})).isEqualTo(1);
            assertThat(seen).containsExactly("POST /subscriptions/s/resourceGroups/rg/providers/Microsoft"
                    + ".ContainerInstance/containerGroups/web/containers/app/exec?api-version=2025-09-01"
                    + " {\"command\":\"/bin/sh -c ls /\"}");
            assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("error 409 ContainerGroupNotRunning");
            assertThatThrownBy(() -> main.run(new String[]{"exec", "web", "app"}))
                    .hasMessageContaining("exec needs a command");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theProcessExitCodeIsTheCliExitCode() {
        var err = new ByteArrayOutputStream();
        var stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(ExecSession.exitCode(1000, "exit 3", stderr)).isEqualTo(3);
        assertThat(ExecSession.exitCode(1000, "exit 0", stderr)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(ExecSession.exitCode(1008, "exec_in_container denied: invalid command", stderr)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("(1008): exec_in_container denied");
    }

    @Test
    void usageErrorsExplain() {
        var main = new Main(System.out, Map.of());
        assertThatThrownBy(() -> main.run(new String[]{})).hasMessageContaining("usage: parma");
        assertThatThrownBy(() -> main.run(new String[]{"deploy"})).hasMessageContaining("deploy needs a template file");
        assertThatThrownBy(() -> main.run(new String[]{"nope"})).hasMessageContaining("unknown command 'nope'");
    }
}
