package dev.parma.e2e;

import static dev.parma.e2e.E2eHttp.get;
import static dev.parma.e2e.E2eHttp.json;
import static dev.parma.e2e.E2eHttp.send;
import static dev.parma.e2e.E2eHttp.with;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parma.contracts.Json;
import dev.parma.identity.Principal;
import dev.parma.identity.ServiceName;
import dev.parma.testsupport.KafkaBroker;
import dev.parma.testsupport.TestPki;
import dev.parma.testsupport.OciRegistry;
import dev.parma.testsupport.PostgresDatabases;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton for real: the packaged api-gateway, deployment-service, attestation-service and two
 * node agents as separate processes, on an in-JVM Kafka broker, the local PostgreSQL and a real OCI registry. A
 * tenant PUTs a standard group through the gateway, a node pulls its image and runs it under runc, GET shows it
 * Running, DELETE stops it.
 */
class PlatformEndToEndTest {

    static final Duration BOOT = Duration.ofSeconds(90);
    static final Duration WAIT = Duration.ofSeconds(30);

    static KafkaBroker kafka;
    static OciRegistry registry;
    static final List<ServiceProcess> processes = new ArrayList<>();
    static ServiceProcess gateway;
    static ServiceProcess nodeA;
    static ServiceProcess nodeB;

    @BeforeAll
    static void startPlatform() throws Exception {
        Path root = Path.of(System.getProperty("parma.root", "..")).toAbsolutePath().normalize();
        kafka = KafkaBroker.startEphemeral();
        registry = new OciRegistry();
        String mirror = registry.start().get("parma.node.registry-mirror");
        String db = PostgresDatabases.recreate("parma_e2e_deployment");
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> common = Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "PARMA_DB_USER", PostgresDatabases.USER, "PARMA_DB_PASSWORD", PostgresDatabases.PASSWORD);

        var deployment = ServiceProcess.start(root, "deployment-service", "deployment-service",
                with(common, "PARMA_DEPLOYMENT_DB_URL", db));
        processes.add(deployment);
        gateway = ServiceProcess.start(root, "api-gateway", "api-gateway",
                E2eAuth.gatewayEnv(with(common, "PARMA_DEPLOYMENT_URL", deployment.url(), "PARMA_GATEWAY_DB_URL",
                        PostgresDatabases.recreate("parma_e2e_platform_gateway"))));
        processes.add(gateway);
        processes.add(ServiceProcess.start(root, "attestation-service", "attestation-service",
                with(common, "PARMA_ATTESTATION_DB_URL", PostgresDatabases.recreate("parma_e2e_attestation"),
                        "PARMA_ATTESTATION_MASTER_KEY", java.util.Base64.getEncoder().encodeToString(
                                new java.security.SecureRandom().generateSeed(32)))));
        nodeA = ServiceProcess.startNode(root, kafka, "node-a",
                with(common, "PARMA_NODE_ID", "e2e-" + run + "-a", "PARMA_NODE_WORK_DIR",
                        root.resolve("e2e/target/nodes/a").toString(), "PARMA_NODE_REGISTRY_MIRROR", mirror));
        nodeB = ServiceProcess.startNode(root, kafka, "node-b",
                with(common, "PARMA_NODE_ID", "e2e-" + run + "-b", "PARMA_NODE_WORK_DIR",
                        root.resolve("e2e/target/nodes/b").toString(), "PARMA_NODE_REGISTRY_MIRROR", mirror));
        processes.add(nodeA);
        processes.add(nodeB);
        for (var p : processes) {
            p.awaitReady(BOOT);
        }
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        var pool = Executors.newFixedThreadPool(Math.max(1, processes.size()));
        var stops = new ArrayList<Callable<Void>>();
        for (var p : processes) {
            stops.add(() -> {
                p.close();
                return null;
            });
        }
        pool.invokeAll(stops);
        pool.shutdown();
        if (kafka != null) {
            kafka.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void aTenantDeploysAGroupThatRunsUnderRuncThenDeletesIt() throws Exception {
        String marker = "parma-e2e-" + UUID.randomUUID();
        String group = gateway.url() + "/subscriptions/" + UUID.randomUUID()
                + "/resourceGroups/e2e/providers/Microsoft.ContainerInstance/containerGroups/hello";
        String body = """
                {"location":"westeurope","properties":{"sku":"Standard","containers":[{"name":"hello","properties":{
                  "image":"busybox:1.36","command":["/bin/sh","-c","echo %s; while true; do sleep 600; done"],
                  "resources":{"requests":{"cpu":1,"memoryInGB":1.5}}}}]}}""".formatted(marker);

        var put = send(HttpRequest.newBuilder(URI.create(group + "?api-version=2025-09-01"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        String asyncOp = put.headers().firstValue("Azure-AsyncOperation").orElseThrow();
        assertThat(asyncOp).as("LRO URLs point at the gateway").startsWith(gateway.url() + "/subscriptions/");
        assertThat(put.headers().firstValue("Location")).isPresent();
        assertThat(put.headers().firstValue("Retry-After")).isPresent();

        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode g = json(get(group + "?api-version=2025-09-01"));
            assertThat(g.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
            assertThat(g.at("/properties/instanceView/state").asText()).isEqualTo("Running");
            assertThat(g.at("/properties/containers/0/properties/instanceView/currentState/state").asText())
                    .isEqualTo("Running");
            assertThat(g.at("/properties/containers/0/properties/instanceView/events").toString())
                    .contains("Pulled").contains("Started container (runc)");
        });
        assertThat(json(get(asyncOp)).get("status").asText()).isEqualTo("Succeeded");

        // The image's shell runs the command under runc (node agent → runc's shell → runc → container), on exactly
        // one of the two node agents.
        ProcessHandle container = await().atMost(WAIT).until(() -> find(marker), Optional::isPresent).orElseThrow();
        assertThat(container.info().command()).hasValue("/bin/busybox");
        List<Long> ancestors = new ArrayList<>();
        for (var p = container.parent(); p.isPresent(); p = p.get().parent()) {
            ancestors.add(p.get().pid());
        }
        assertThat(ancestors).containsAnyOf(nodeA.process.pid(), nodeB.process.pid());
        // ACI's listLogs through the gateway: the node agent serves the container's output.
        await().atMost(WAIT).untilAsserted(() -> {
            var logs = get(group + "/containers/hello/logs?api-version=2025-09-01&tail=5");
            assertThat(logs.statusCode()).as(logs.body()).isEqualTo(200);
            assertThat(json(logs).get("content").asText()).contains(marker);
        });
        var children = container.children().toList();
        assertThat(children).as("the shell's sleep").isNotEmpty();

        var delete = send(HttpRequest.newBuilder(URI.create(group + "?api-version=2025-09-01")).DELETE());
        assertThat(delete.statusCode()).isEqualTo(202);
        await().atMost(WAIT).until(() -> get(group + "?api-version=2025-09-01").statusCode() == 404);
        await().atMost(WAIT).until(() -> !container.isAlive());
        assertThat(children).as("the whole process tree is stopped").noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void everyProcessServesHealthPrometheusMetricsAndOpenApi() throws Exception {
        for (var p : processes) {
            assertThat(get(p.url() + "/q/health").statusCode()).as(p.name).isEqualTo(200);
            var metrics = get(p.managementUrl() + "/q/metrics");
            assertThat(metrics.statusCode()).as(p.name).isEqualTo(200);
            assertThat(metrics.body()).as(p.name).contains("# TYPE");
            assertThat(get(p.managementUrl() + "/q/openapi").statusCode()).as(p.name).isEqualTo(200);
        }
    }

    /** Debian's Prometheus scrapes every running process; every target is up and our own metrics arrive. */
    @Test
    void prometheusScrapesThePlatform() throws Exception {
        var binary = Path.of("/usr/bin/prometheus");
        assertThat(binary).as("prometheus is installed by scripts/install-deps.sh").exists();
        Path dir = root().resolve("e2e/target/prometheus");
        Files.createDirectories(dir);
        var plain = processes.stream().filter(p -> !p.tls).map(p -> "\"127.0.0.1:" + p.managementPort + "\"")
                .toList();
        var mtls = processes.stream().filter(p -> p.tls).map(p -> "\"127.0.0.1:" + p.port + "\"").toList();
        // the internal APIs serve metrics only to the prometheus principal, over mutual TLS
        var id = TestPki.identity(Principal.service(ServiceName.PROMETHEUS)).path().toAbsolutePath();
        Files.writeString(dir.resolve("prometheus.yml"), """
                global: {scrape_interval: 1s}
                scrape_configs:
                  - job_name: parma
                    metrics_path: /q/metrics
                    static_configs: [{targets: [%s]}]
                  - job_name: parma-internal
                    metrics_path: /q/metrics
                    scheme: https
                    tls_config: {ca_file: %s/ca.pem, cert_file: %s/tls.pem, key_file: %s/tls-key.pem}
                    static_configs: [{targets: [%s]}]
                """.formatted(String.join(", ", plain), id, id, id, String.join(", ", mtls)));
        int port;
        try (var s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        var prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + Files.createTempDirectory(dir, "data-"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            String api = "http://127.0.0.1:" + port + "/api/v1/query?query=";
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                JsonNode up = json(get(api + "up"));
                assertThat(up.at("/data/result")).hasSize(processes.size());
                up.at("/data/result").forEach(r -> assertThat(r.at("/value/1").asText()).as(r.toString())
                        .isEqualTo("1"));
            });
            JsonNode groups = json(get(api + "parma_container_groups"));
            assertThat(groups.at("/data/result").size()).as("the deployment service's own gauges").isPositive();
            // Every query of the provisioned Grafana dashboards is valid PromQL for this Prometheus.
            try (var dashboards = Files.list(root().resolve("deploy/grafana/dashboards"))) {
                for (Path d : dashboards.toList()) {
                    for (JsonNode panel : Json.mapper().readTree(d.toFile()).get("panels")) {
                        for (JsonNode target : panel.get("targets")) {
                            String expr = target.get("expr").asText();
                            var answer = json(get(api + java.net.URLEncoder.encode(expr,
                                    java.nio.charset.StandardCharsets.UTF_8)));
                            assertThat(answer.get("status").asText()).as(d.getFileName() + ": " + expr)
                                    .isEqualTo("success");
                        }
                    }
                }
            }
        } finally {
            prometheus.destroy();
            prometheus.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static Path root() {
        return Path.of(System.getProperty("parma.root", "..")).toAbsolutePath().normalize();
    }

    static Optional<ProcessHandle> find(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(marker)).orElse(false))
                .findFirst();
    }
}
