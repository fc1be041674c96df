package dev.parma.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parma.contracts.Json;
import dev.parma.contracts.Topics;
import dev.parma.contracts.node.ContainerWorkload;
import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.GroupStatus;
import dev.parma.contracts.node.GroupWorkload;
import dev.parma.contracts.node.InstanceEvent;
import dev.parma.contracts.node.Isolation;
import dev.parma.contracts.node.NodeEvent;
import dev.parma.contracts.node.Probe;
import dev.parma.contracts.node.StartGroup;
import dev.parma.node.NodeTestResources;
import dev.parma.node.TestRegistry;
import dev.parma.testsupport.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Liveness and readiness probes on a real node: busybox under runc for standard groups, the sim UVM's guest judging
 * exec probes for confidential ones. The test plays the control plane on the node's Kafka topics.
 */
@QuarkusTest
@NodeTestResources
class ProbesTest {

    static final List<String> STARTED = new CopyOnWriteArrayList<>();
    static Groups staticGroups;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    Groups groups;

    @BeforeEach
    void remember() {
        staticGroups = groups;
    }

    @AfterAll
    static void cleanUp() {
        // containers outlive the agent by design: stop what the tests started, even after a failure
        if (staticGroups != null) {
            STARTED.forEach(g -> staticGroups.delete(new DeleteGroup("cleanup-" + g, g, 1)));
        }
    }

    static ContainerWorkload container(List<String> command, Probe liveness, Probe readiness) {
        return new ContainerWorkload("app", "busybox:1.36", command, List.of(), 0.1, 0.1, null, null, null, liveness,
                readiness);
    }

    static void start(KafkaTestClient kafka, String id, GroupWorkload workload) throws Exception {
        STARTED.add(id);
        kafka.send(Topics.nodeCommands("test-node"), id, Json.mapper().writeValueAsString(new StartGroup("start-" + id,
                id, 1, workload)));
    }

    static GroupWorkload standard(String id, ContainerWorkload c) {
        return new GroupWorkload("/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerInstance/"
                + "containerGroups/" + id, Isolation.STANDARD, "Always", List.of(c), null, null);
    }

    /** Every status the group reported so far. */
    static List<GroupStatus> statuses(KafkaTestClient kafka, String id) {
        return kafka.drain(Duration.ofMillis(300)).stream().filter(r -> id.equals(r.key())).flatMap(r -> {
            try {
                return Json.mapper().readValue(r.value(), NodeEvent.class) instanceof GroupStatus s
                        ? Stream.of(s)
                        : Stream.empty();
            } catch (Exception e) {
                return Stream.empty();
            }
        }).toList();
    }

    static List<InstanceEvent> events(KafkaTestClient kafka, String id, String name) {
        return statuses(kafka, id).stream().flatMap(s -> s.events().stream()).filter(e -> e.name().equals(name))
                .toList();
    }

    static int freePort() throws Exception {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A counter's value summed over the series that carry every one of {@code labels} (other tests add theirs). */
    static double counter(String name, String... labels) {
        return RestAssured.get("/q/metrics").asString().lines().filter(l -> l.startsWith(name + "{"))
                .filter(l -> Stream.of(labels).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aContainerFailingItsLivenessProbeIsKilledAndRestarted() throws Exception {
        // healthy for 3 s, then not: the probe's file is gone
        var cmd = List.of("/bin/sh", "-c", "touch /tmp/healthy; sleep 3; rm /tmp/healthy; exec sleep 300");
        var liveness = new Probe(new Probe.Exec(List.of("cat", "/tmp/healthy")), 0, 1, 2, 1, 1);
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS)) {
            start(kafka, "probe-live", standard("probe-live", container(cmd, liveness, null)));
            var restarted = ConfidentialGroupTest.awaitStatus(kafka, "probe-live", s -> s.containers().get(0)
                    .restartCount() >= 1 && "Running".equals(s.containers().get(0).currentState().state()));
            assertThat(restarted.containers().get(0).previousState().state()).isEqualTo("Terminated");
            ConfidentialGroupTest.awaitStatus(kafka, "probe-live", s -> s.events().stream().anyMatch(e -> e.name()
                    .equals("Started")) && s.containers().get(0).restartCount() >= 1);

            var unhealthy = events(kafka, "probe-live", "Unhealthy");
            assertThat(unhealthy).hasSizeGreaterThanOrEqualTo(2).allSatisfy(e -> {
                assertThat(e.type()).isEqualTo("Warning");
                assertThat(e.message()).startsWith("Liveness probe failed: ").contains("/tmp/healthy");
            });
            assertThat(events(kafka, "probe-live", "Killing")).isNotEmpty().first().satisfies(e -> assertThat(e
                    .message()).contains("liveness probe 2 times in a row"));
            assertThat(counter("parma_probe_results_total", "probe=\"liveness\"", "result=\"success\""))
                    .isGreaterThanOrEqualTo(1);
            assertThat(counter("parma_probe_results_total", "probe=\"liveness\"", "result=\"failure\""))
                    .isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void underRestartPolicyNeverAKilledContainerStaysTerminated() throws Exception {
        var liveness = new Probe(new Probe.Exec(List.of("cat", "/tmp/healthy")), 0, 1, 1, 1, 1);
        var c = container(List.of("sleep", "300"), liveness, null);
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS)) {
            start(kafka, "probe-never", new GroupWorkload("/x/probe-never", Isolation.STANDARD, "Never", List.of(c),
                    null, null));
            var ended = ConfidentialGroupTest.awaitStatus(kafka, "probe-never", s -> "Terminated".equals(s
                    .containers().get(0).currentState().state()));
            assertThat(ended.state()).isEqualTo(dev.parma.contracts.node.GroupRuntimeState.Failed);
            assertThat(ended.containers().get(0).restartCount()).isZero();
            assertThat(ended.containers().get(0).currentState().exitCode()).isNotZero();
            assertThat(events(kafka, "probe-never", "Killing")).hasSize(1);
            assertThat(events(kafka, "probe-never", "BackOff")).isEmpty();
            assertThat(events(kafka, "probe-never", "Started")).hasSize(1);
        }
    }

    @Test
    void anHttpProbeToAListeningPortPassesAndOneToAClosedPortOnlyReportsReadinessFailures() throws Exception {
        int open = freePort();
        int closed = freePort();
        var cmd = List.of("/bin/sh", "-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p " + open
                + " -h /www");
        var liveness = new Probe(new Probe.HttpGet("/index.html", open, "http", List.of(new Probe.Header("X-Probe",
                "1"))), 2, 1, 1, 1, 1);
        var readiness = new Probe(new Probe.HttpGet("/", closed, "http", null), 0, 1, 1, 1, 1);
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS)) {
            start(kafka, "probe-http", standard("probe-http", container(cmd, liveness, readiness)));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> events(kafka, "probe-http",
                    "Unhealthy").size() >= 4);

            assertThat(events(kafka, "probe-http", "Unhealthy")).allSatisfy(e -> assertThat(e.message()).startsWith(
                    "Readiness probe failed: Get \"http://127.0.0.1:" + closed + "/\""));
            assertThat(events(kafka, "probe-http", "Killing")).isEmpty();
            assertThat(statuses(kafka, "probe-http")).allSatisfy(s -> assertThat(s.containers().get(0).restartCount())
                    .isZero());
            assertThat(counter("parma_probe_results_total", "probe=\"liveness\"", "result=\"success\""))
                    .isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void anExecProbeThatDoesNotAnswerInTimeFails() throws Exception {
        var readiness = new Probe(new Probe.Exec(List.of("sleep", "30")), 0, 1, 1, 1, 1);
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS)) {
            start(kafka, "probe-slow", standard("probe-slow", container(List.of("sleep", "300"), null, readiness)));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> events(kafka, "probe-slow",
                    "Unhealthy").size() >= 2);

            assertThat(events(kafka, "probe-slow", "Unhealthy")).allSatisfy(e -> assertThat(e.message()).isEqualTo(
                    "Readiness probe failed: timed out after 1s"));
        }
    }

    @Test
    void anExecProbeTheConfidentialPolicyDeniesFailsAndIsReportedOnce() throws Exception {
        var cmd = List.of("/bin/sh", "-c", "exec sleep 300");
        String policy = ConfidentialGroupTest.policy(cmd, List.of(), "busybox:1.36", TestRegistry.LAYER_HASH.get(
                "1.36"));
        var readiness = new Probe(new Probe.Exec(List.of("cat", "/etc/hostname")), 0, 1, 1, 1, 1);
        var workload = new GroupWorkload("/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerInstance/"
                + "containerGroups/probe-cc", Isolation.CONFIDENTIAL, "Always",
                List.of(container(cmd, null,
                        readiness)),
                Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8)),
                ConfidentialGroupTest.sha256Hex(policy.getBytes(StandardCharsets.UTF_8)));
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS)) {
            start(kafka, "probe-cc", workload);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(45)).until(() -> events(kafka, "probe-cc",
                    "Unhealthy").size() >= 3);

            assertThat(events(kafka, "probe-cc", "PolicyDenied")).singleElement().satisfies(e -> assertThat(e
                    .message()).contains("exec_in_container").contains("'app'"));
            assertThat(events(kafka, "probe-cc", "Unhealthy")).allSatisfy(e -> assertThat(e.message()).startsWith(
                    "Readiness probe failed: The UVM's execution policy denied exec_in_container"));
            assertThat(statuses(kafka, "probe-cc")).allSatisfy(s -> assertThat(s.containers().get(0).restartCount())
                    .isZero());
            assertThat(counter("parma_probe_results_total", "probe=\"readiness\"", "result=\"denied\""))
                    .isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void aConfidentialExecProbeThatHangsIsEndedByTheGuestAtItsTimeout() throws Exception {
        // the guest's exec runs to the end; unless the guest ends it at the probe's timeout, the hung first attempt
        // stays in flight (for the 30 s it sleeps) and no further probe runs meanwhile
        var cmd = List.of("/bin/sh", "-c", "exec sleep 300");
        var info = new dev.parma.policy.spec.ImageInfo("busybox:1.36", java.util.Optional.empty(),
                java.util.Optional.of(List.of("sh")), List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin"
                        + ":/sbin:/bin"),
                java.util.Optional.empty(), List.of(TestRegistry.LAYER_HASH.get("1.36")));
        var spec = dev.parma.policy.spec.ContainerSpec.of("app", "busybox:1.36").withCommand(cmd)
                .withExecCommands(List.of(List.of("sleep", "30")));
        String policy = dev.parma.policy.generate.PolicyGenerator.generate(new dev.parma.policy.spec.GroupSpec(List
                .of(spec)), java.util.Map.of("busybox:1.36", info), dev.parma.policy.generate.GenerateOptions
                        .defaults());
        var readiness = new Probe(new Probe.Exec(List.of("sleep", "30")), 0, 1, 1, 1, 1);
        var workload = new GroupWorkload("/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerInstance/"
                + "containerGroups/probe-hang", Isolation.CONFIDENTIAL, "Always",
                List.of(container(cmd, null,
                        readiness)),
                Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8)),
                ConfidentialGroupTest.sha256Hex(policy.getBytes(StandardCharsets.UTF_8)));
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS)) {
            start(kafka, "probe-hang", workload);
            // each attempt ends at its 1 s timeout, so they follow each other (one that started before the container
            // was up may fail otherwise)
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(25)).until(() -> events(kafka, "probe-hang",
                    "Unhealthy").stream().filter(e -> e.message().equals("Readiness probe failed: timed out after 1s"))
                    .count() >= 3);
            assertThat(events(kafka, "probe-hang", "PolicyDenied")).isEmpty();
        }
    }
}
