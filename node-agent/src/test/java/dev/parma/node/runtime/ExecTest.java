package dev.parma.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parma.contracts.Json;
import dev.parma.contracts.Topics;
import dev.parma.contracts.node.ContainerWorkload;
import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.GroupRuntimeState;
import dev.parma.contracts.node.GroupWorkload;
import dev.parma.contracts.node.Isolation;
import dev.parma.contracts.node.StartGroup;
import dev.parma.identity.Tls;
import dev.parma.node.NodeTestResources;
import dev.parma.node.TestRegistry;
import dev.parma.policy.generate.GenerateOptions;
import dev.parma.policy.generate.PolicyGenerator;
import dev.parma.policy.spec.ContainerSpec;
import dev.parma.policy.spec.GroupSpec;
import dev.parma.policy.spec.ImageInfo;
import dev.parma.testsupport.KafkaTestClient;
import dev.parma.testsupport.TestPki;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Interactive exec through the node agent: the session endpoint, the websocket, runc exec in a standard group and
 * the guest's judgement (exec_in_container) in a confidential one. Real runc, real guest, real broker.
 */
@QuarkusTest
@NodeTestResources
class ExecTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String IMAGE = "busybox:1.36";
    static final List<String> SLEEP = List.of("/bin/sh", "-c", "exec sleep 300");
    static final List<String> STARTED = new java.util.concurrent.CopyOnWriteArrayList<>();
    static Groups staticGroups;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "parma.node.work-dir")
    Path workDir;
    @Inject
    Groups groups;

    @AfterAll
    static void cleanUp() {
        if (staticGroups != null) {
            STARTED.forEach(g -> staticGroups.delete(new DeleteGroup("cleanup-" + g, g, 1)));
        }
    }

    /** What the client saw: every text message, then the close. */
    record Seen(String output, int code, String reason) {
    }

    /** A websocket client that sends {@code messages} once open and collects the output until the close. */
    static Seen session(URI uri, Optional<String> authorization, List<String> messages) throws Exception {
        var out = new StringBuilder();
        var closed = new CompletableFuture<Seen>();
        // a tenant's client: no certificate of its own, trusting the platform CA the agent's certificate is from
        var builder = HttpClient.newBuilder().sslContext(Tls.anonymous(TestPki.operator().ca())).build()
                .newWebSocketBuilder();
        authorization.ifPresent(a -> builder.header("Authorization", a));
        var ws = builder.buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                synchronized (out) {
                    out.append(data);
                }
                w.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                synchronized (out) {
                    closed.complete(new Seen(out.toString(), code, reason));
                }
                return null;
            }

            @Override
            public void onError(WebSocket w, Throwable error) {
                closed.completeExceptionally(error);
            }
        }).get(10, TimeUnit.SECONDS);
        for (String m : messages) {
            ws.sendText(m, true).get(10, TimeUnit.SECONDS);
        }
        return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** POSTs an exec request; the answer's websocket URI pointed at this test's port (the advertised one is fixed). */
    static Map<String, String> exec(String group, String container, String command) {
        Map<String, String> answer = RestAssured.given().contentType(ContentType.JSON)
                .body(Map.of("command", command, "rows", 24, "cols", 80))
                .post("/groups/" + group + "/containers/" + container + "/exec").then().statusCode(200).extract()
                .as(Map.class);
        assertThat(answer.get("webSocketUri")).matches("wss://127\\.0\\.0\\.1:\\d+/exec/[A-Za-z0-9_-]{22}");
        assertThat(answer.get("password")).matches("[A-Za-z0-9_-]{43}");
        String path = URI.create(answer.get("webSocketUri")).getPath();
        return Map.of("uri", "wss://127.0.0.1:" + RestAssured.port + path, "password", answer.get("password"));
    }

    String start(KafkaTestClient kafka, Isolation isolation, String policy) throws Exception {
        staticGroups = groups;
        String id = "exec-" + isolation.name().toLowerCase() + "-" + STARTED.size();
        STARTED.add(id);
        String encoded = policy == null
                ? null
                : Base64.getEncoder().encodeToString(policy.getBytes(
                        StandardCharsets.UTF_8));
        String hostData = policy == null
                ? null
                : ConfidentialGroupTest.sha256Hex(policy.getBytes(
                        StandardCharsets.UTF_8));
        var workload = new GroupWorkload("/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerInstance/"
                + "containerGroups/" + id, isolation, "Never",
                List.of(new ContainerWorkload("app", IMAGE, SLEEP, List.of(), 0.5, 0.25)), encoded, hostData);
        kafka.send(Topics.nodeCommands("test-node"), id, Json.mapper().writeValueAsString(new StartGroup("start-" + id,
                id, 1, workload)));
        ConfidentialGroupTest.awaitStatus(kafka, id, s -> s.state() == GroupRuntimeState.Running);
        return id;
    }

    static String metrics() {
        return RestAssured.get("/q/metrics").asString();
    }

    @Test
    void aStandardGroupExecsUnderRuncOncePerSessionAndRefusesAWrongPassword() throws Exception {
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS)) {
            String id = start(kafka, Isolation.STANDARD, null);

            var s = exec(id, "app", "/bin/sh");
            var seen = session(URI.create(s.get("uri")), Optional.of(s.get("password")),
                    List.of("echo hi-$((6*7)) $$\nexit 3\n"));
            // the shell evaluated it (no terminal echoes the input), in the container's pid namespace
            assertThat(seen.output()).matches("hi-42 \\d+\n").doesNotContain("6*7");
            assertThat(seen.code()).isEqualTo(1000);
            assertThat(seen.reason()).isEqualTo("exit 3");

            // used once: the same password again is refused before anything runs
            var again = session(URI.create(s.get("uri")), Optional.of(s.get("password")), List.of());
            assertThat(again.code()).isEqualTo(1008);
            assertThat(again.output()).isEmpty();

            // a wrong password (as the first message, the browsers' way) runs nothing and burns the session
            var t = exec(id, "app", "touch /tmp/ran");
            var wrong = session(URI.create(t.get("uri")), Optional.empty(), List.of(t.get("password") + "x"));
            assertThat(wrong.code()).isEqualTo(1008);
            assertThat(wrong.reason()).isEqualTo("invalid session or password");
            var late = session(URI.create(t.get("uri")), Optional.empty(), List.of(t.get("password")));
            assertThat(late.code()).isEqualTo(1008);
            Path rootfs = workDir.resolve("groups").resolve(id).resolve("app/app-1/rootfs");
            assertThat(rootfs.resolve("bin/sh")).exists();
            assertThat(rootfs.resolve("tmp/ran")).doesNotExist();

            // the right password as the first message works, with arguments split on whitespace
            var u = exec(id, "app", " /bin/echo one  two\tthree ");
            var ok = session(URI.create(u.get("uri")), Optional.empty(), List.of(u.get("password")));
            assertThat(ok.output()).isEqualTo("one two three\n");
            assertThat(ok.reason()).isEqualTo("exit 0");

            assertThat(metrics()).containsPattern("parma_exec_sessions_total\\{outcome=\"started\"[^}]*} [2-9]")
                    .containsPattern("parma_exec_sessions_total\\{outcome=\"unauthorized\"[^}]*} [2-9]");
            assertThat(RestAssured.given().contentType(ContentType.JSON).body(Map.of("command", "/bin/sh"))
                    .post("/groups/" + id + "/containers/nope/exec").statusCode()).isEqualTo(404);
            assertThat(RestAssured.given().contentType(ContentType.JSON).body(Map.of("command", " "))
                    .post("/groups/" + id + "/containers/app/exec").statusCode()).isEqualTo(400);
        }
    }

    @Test
    void aConfidentialGroupsGuestRunsTheExecsThePolicyAllowsAndDeniesTheRest() throws Exception {
        var info = new ImageInfo(IMAGE, Optional.empty(), Optional.of(List.of("sh")),
                List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), Optional.empty(),
                List.of(TestRegistry.LAYER_HASH.get("1.36")));
        var spec = ContainerSpec.of("app", IMAGE).withCommand(SLEEP).withExecCommands(List.of(List.of("/bin/sh")));
        String policy = PolicyGenerator.generate(new GroupSpec(List.of(spec)), Map.of(IMAGE, info),
                GenerateOptions.defaults());
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS)) {
            String id = start(kafka, Isolation.CONFIDENTIAL, policy);

            var s = exec(id, "app", "/bin/sh");
            var seen = session(URI.create(s.get("uri")), Optional.of(s.get("password")),
                    List.of("echo in-uvm-$((6*7))\n", "exit 4\n"));
            assertThat(seen).isEqualTo(new Seen("in-uvm-42\n", 1000, "exit 4"));

            var d = exec(id, "app", "/bin/cat /etc/passwd");
            var denied = session(URI.create(d.get("uri")), Optional.of(d.get("password")), List.of());
            assertThat(denied.code()).isEqualTo(1008);
            assertThat(denied.reason()).startsWith("exec_in_container denied:").contains("invalid command");
            assertThat(denied.output()).isEmpty();
            var event = ConfidentialGroupTest.awaitStatus(kafka, id, ConfidentialGroupTest.denial("PolicyDenied"));
            assertThat(ConfidentialGroupTest.event(event, "PolicyDenied").message())
                    .startsWith("The UVM's execution policy denied exec_in_container for container 'app': ")
                    .contains("invalid command");
            // the container itself runs on
            assertThat(event.state()).isEqualTo(GroupRuntimeState.Running);
            assertThat(metrics()).containsPattern("parma_exec_sessions_total\\{outcome=\"denied\"[^}]*} [1-9]");
        }
    }
}
