package dev.parma.e2e;

import static dev.parma.e2e.E2eHttp.get;
import static dev.parma.e2e.E2eHttp.json;
import static dev.parma.e2e.E2eHttp.send;
import static dev.parma.e2e.E2eHttp.with;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parma.policy.generate.GenerateOptions;
import dev.parma.policy.generate.PolicyGenerator;
import dev.parma.policy.spec.ContainerSpec;
import dev.parma.policy.spec.GroupSpec;
import dev.parma.policy.spec.ImageInfo;
import dev.parma.testsupport.KafkaBroker;
import dev.parma.testsupport.OciRegistry;
import dev.parma.testsupport.PostgresDatabases;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Recovery by killing: a standard and a confidential group run on one node, its agent is SIGKILLed and started
 * again on the same work directory. The groups stay Running with the very same container processes and UVM, their
 * logs are still served, and a later DELETE stops them.
 */
class NodeRestartEndToEndTest {

    static final Duration BOOT = Duration.ofSeconds(120);
    static final Duration WAIT = Duration.ofSeconds(60);

    static KafkaBroker kafka;
    static OciRegistry registry;
    static final List<ServiceProcess> processes = new ArrayList<>();
    static ServiceProcess gateway;
    static ServiceProcess node;
    static Map<String, String> nodeEnv;
    static Path root;
    static Path nodeDir;

    @BeforeAll
    static void startPlatform() throws Exception {
        root = Path.of(System.getProperty("parma.root", "..")).toAbsolutePath().normalize();
        registry = new OciRegistry();
        String mirror = registry.start().get("parma.node.registry-mirror");
        kafka = KafkaBroker.startEphemeral();
        String db = PostgresDatabases.recreate("parma_e2e_restart");
        Map<String, String> common = Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "PARMA_DB_USER", PostgresDatabases.USER, "PARMA_DB_PASSWORD", PostgresDatabases.PASSWORD);
        var deployment = ServiceProcess.start(root, "deployment-service", "restart-deployment-service",
                with(common, "PARMA_DEPLOYMENT_DB_URL", db));
        processes.add(deployment);
        gateway = ServiceProcess.start(root, "api-gateway", "restart-api-gateway",
                E2eAuth.gatewayEnv(with(common, "PARMA_DEPLOYMENT_URL", deployment.url(), "PARMA_GATEWAY_DB_URL",
                        PostgresDatabases.recreate("parma_e2e_restart_gateway"))));
        processes.add(gateway);
        String id = "e2e-restart-" + UUID.randomUUID().toString().substring(0, 8);
        nodeDir = root.resolve("e2e/target/nodes/" + id);
        nodeEnv = with(common, "PARMA_NODE_ID", id, "PARMA_NODE_WORK_DIR", nodeDir.toString(), "PARMA_NODE_DRIVER",
                "sim", "PARMA_NODE_REGISTRY_MIRROR", mirror, "PARMA_NODE_HEARTBEAT_INTERVAL", "1s",
                "PARMA_NODE_SIM_AUTHORITY_FILE", root.resolve("e2e/target/sim-authority.pem").toString());
        node = ServiceProcess.startNode(root, kafka, "restart-node", nodeEnv);
        for (var p : List.of(deployment, gateway, node)) {
            p.awaitReady(BOOT);
        }
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        for (var p : processes) {
            p.close();
        }
        if (node != null) {
            node.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (registry != null) {
            registry.close();
        }
        // groups outlive a stopped agent by design: stop whatever this test's node left
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            all.filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(nodeDir.toString()))
                    .orElse(false)).forEach(p -> {
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly();
                    });
        }
    }

    static String command(String marker) {
        return "echo " + marker + "; while true; do sleep 600; done";
    }

    static String policy(String command, String layerHash) {
        String image = "busybox:1.36";
        var info = new ImageInfo(image, Optional.empty(), Optional.of(List.of("sh")),
                List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), Optional.empty(),
                List.of(layerHash));
        var spec = ContainerSpec.of("app", image).withCommand(List.of("/bin/sh", "-c", command));
        return PolicyGenerator.generate(new GroupSpec(List.of(spec)), Map.of(image, info), GenerateOptions.defaults());
    }

    static String body(String sku, String command, String policy) {
        String cce = policy == null
                ? ""
                : ",\"confidentialComputeProperties\":{\"ccePolicy\":\""
                        + Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8)) + "\"}";
        return """
                {"location":"westeurope","properties":{"sku":"%s"%s,"osType":"Linux","containers":[{"name":"app",
                "properties":{"image":"busybox:1.36","command":["/bin/sh","-c","%s"],
                "resources":{"requests":{"cpu":0.5,"memoryInGB":0.25}}}}]}}""".formatted(sku, cce, command);
    }

    static String put(String name, String body) throws Exception {
        String url = gateway.url() + "/subscriptions/" + UUID.randomUUID()
                + "/resourceGroups/e2e/providers/Microsoft.ContainerInstance/containerGroups/" + name;
        var put = send(HttpRequest.newBuilder(URI.create(url + "?api-version=2025-09-01"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        return url;
    }

    static void awaitRunning(String url) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode g = json(get(url + "?api-version=2025-09-01"));
            assertThat(g.at("/properties/instanceView/state").asText()).as(g.toString()).isEqualTo("Running");
        });
    }

    static void awaitLog(String url, String marker) {
        await().atMost(WAIT).untilAsserted(() -> {
            var logs = get(url + "/containers/app/logs?api-version=2025-09-01");
            assertThat(logs.statusCode()).as(logs.body()).isEqualTo(200);
            assertThat(json(logs).get("content").asText()).contains(marker);
        });
    }

    /** The one process whose command line contains {@code text}. */
    static ProcessHandle only(String text) {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            List<ProcessHandle> found = all.filter(p -> p.info().arguments()
                    .map(a -> String.join(" ", a).contains(text)).orElse(false)).toList();
            assertThat(found).as("processes running " + text).hasSize(1);
            return found.get(0);
        }
    }

    @Test
    void groupsKeepTheirProcessesWhenTheNodeAgentIsKilledAndStartedAgain() throws Exception {
        String standardMarker = "restart-standard-" + UUID.randomUUID();
        String confidentialMarker = "restart-confidential-" + UUID.randomUUID();
        String standard = put("standard", body("Standard", command(standardMarker), null));
        String confidential = put("confidential", body("Confidential", command(confidentialMarker),
                policy(command(confidentialMarker), registry.layerHash.get("1.36"))));
        awaitRunning(standard);
        awaitRunning(confidential);
        awaitLog(standard, standardMarker);
        awaitLog(confidential, confidentialMarker);
        ProcessHandle standardContainer = only(standardMarker);
        ProcessHandle confidentialContainer = only(confidentialMarker);
        ProcessHandle uvm = only("dev.parma.guest.GuestMain " + nodeDir);

        node.kill();
        assertThat(List.of(standardContainer, confidentialContainer, uvm)).as("groups outlive their agent")
                .allMatch(ProcessHandle::isAlive);

        node = ServiceProcess.startNode(root, kafka, "restart-node-again", nodeEnv);
        node.awaitReady(BOOT);
        await().atMost(WAIT).until(() -> Files.readString(node.log).contains("recovered group"));
        for (String url : List.of(standard, confidential)) {
            awaitRunning(url);
        }
        // the very same processes, and no second copy of any
        assertThat(only(standardMarker).pid()).isEqualTo(standardContainer.pid());
        assertThat(only(confidentialMarker).pid()).isEqualTo(confidentialContainer.pid());
        assertThat(only("dev.parma.guest.GuestMain " + nodeDir).pid()).isEqualTo(uvm.pid());
        // logs through the gateway, now from the new agent (its new endpoint came with its heartbeat)
        awaitLog(standard, standardMarker);
        awaitLog(confidential, confidentialMarker);

        for (String url : List.of(standard, confidential)) {
            var delete = send(HttpRequest.newBuilder(URI.create(url + "?api-version=2025-09-01")).DELETE());
            assertThat(delete.statusCode()).isEqualTo(202);
        }
        for (String url : List.of(standard, confidential)) {
            await().atMost(WAIT).until(() -> get(url + "?api-version=2025-09-01").statusCode() == 404);
        }
        await().atMost(WAIT).until(() -> !standardContainer.isAlive() && !confidentialContainer.isAlive()
                && !uvm.isAlive());
    }
}
