package dev.parma.e2e;

import static dev.parma.e2e.E2eHttp.get;
import static dev.parma.e2e.E2eHttp.json;
import static dev.parma.e2e.E2eHttp.send;
import static dev.parma.e2e.E2eHttp.with;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parma.contracts.Json;
import dev.parma.policy.generate.GenerateOptions;
import dev.parma.policy.generate.PolicyGenerator;
import dev.parma.policy.spec.ContainerSpec;
import dev.parma.policy.spec.GroupSpec;
import dev.parma.policy.spec.ImageInfo;
import dev.parma.snp.sim.SimAuthority;
import dev.parma.snp.trust.RootStore;
import dev.parma.snp.verify.CertificateChain;
import dev.parma.snp.verify.ReportVerifier;
import dev.parma.testsupport.KafkaBroker;
import dev.parma.testsupport.OciRegistry;
import dev.parma.testsupport.PostgresDatabases;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A confidential group through the whole platform: tenant PUT (sku Confidential, ccePolicy) at the api-gateway,
 * placement by the deployment service on the node whose heartbeat says SEV-SNP, the node agent's sim UVM pulling
 * busybox from a real registry and running it under runc, and the in-group attestation endpoint's report verifying
 * with HOST_DATA equal to the group's {@code properties.hostData}, and a shell exec'd through the gateway whose
 * output comes back over the node's websocket. With {@code -Dparma.bench.runs=N} it also
 * measures PUT → Running for standard and confidential groups (results in e2e/target/put-to-running.txt).
 */
class ConfidentialEndToEndTest {

    static final Duration BOOT = Duration.ofSeconds(120);
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String CMD = "echo confidential-e2e; exec sleep 600";

    static KafkaBroker kafka;
    static OciRegistry registry;
    static final List<ServiceProcess> processes = new ArrayList<>();
    static ServiceProcess gateway;
    static Path nodeDir;
    static Path authorityFile;

    @BeforeAll
    static void startPlatform() throws Exception {
        Path root = Path.of(System.getProperty("parma.root", "..")).toAbsolutePath().normalize();
        registry = new OciRegistry();
        String mirror = registry.start().get("parma.node.registry-mirror");
        kafka = KafkaBroker.startEphemeral();
        String db = PostgresDatabases.recreate("parma_e2e_confidential");
        Map<String, String> common = Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "PARMA_DB_USER", PostgresDatabases.USER, "PARMA_DB_PASSWORD", PostgresDatabases.PASSWORD);
        var deployment = ServiceProcess.start(root, "deployment-service", "deployment-service",
                with(common, "PARMA_DEPLOYMENT_DB_URL", db));
        processes.add(deployment);
        gateway = ServiceProcess.start(root, "api-gateway", "api-gateway",
                E2eAuth.gatewayEnv(with(common, "PARMA_DEPLOYMENT_URL", deployment.url(), "PARMA_GATEWAY_DB_URL",
                        PostgresDatabases.recreate("parma_e2e_confidential_gateway"))));
        processes.add(gateway);
        nodeDir = root.resolve("e2e/target/nodes/confidential-" + UUID.randomUUID().toString().substring(0, 8));
        // a simulated AMD root shared by the platform (the attestation service would trust its public part)
        authorityFile = root.resolve("e2e/target/sim-authority.pem");
        processes.add(ServiceProcess.startNode(root, kafka, "node-snp", with(common, "PARMA_NODE_ID",
                "e2e-snp-" + UUID.randomUUID().toString().substring(0, 8), "PARMA_NODE_WORK_DIR", nodeDir.toString(),
                "PARMA_NODE_DRIVER", "sim", "PARMA_NODE_REGISTRY_MIRROR", mirror, "PARMA_NODE_SIM_AUTHORITY_FILE",
                authorityFile.toString(), "PARMA_NODE_GUEST_CDS", System.getProperty("parma.guest.cds", "true"))));
        for (var p : processes) {
            p.awaitReady(BOOT);
        }
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        for (var p : processes) {
            p.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (registry != null) {
            registry.close();
        }
        // UVMs and containers outlive a stopped agent by design; stop what is left of this test's node
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            all.filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(nodeDir.toString()))
                    .orElse(false)).forEach(p -> {
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly();
                    });
        }
    }

    static String policy(String image, String layerHash) {
        var info = new ImageInfo(image, Optional.empty(), Optional.of(List.of("sh")),
                List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), Optional.empty(),
                List.of(layerHash));
        var spec = ContainerSpec.of("app", image).withCommand(List.of("/bin/sh", "-c", CMD))
                .withExecCommands(List.of(List.of("/bin/sh")));
        return PolicyGenerator.generate(new GroupSpec(List.of(spec)), Map.of(image, info), GenerateOptions.defaults());
    }

    static String body(boolean confidential, String policy) {
        String cce = confidential
                ? ",\"confidentialComputeProperties\":{\"ccePolicy\":\""
                        + Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8)) + "\"}"
                : "";
        return """
                {"location":"westeurope","properties":{"sku":"%s"%s,"osType":"Linux","containers":[{"name":"app",
                "properties":{"image":"busybox:1.36","command":["/bin/sh","-c","%s"],
                "resources":{"requests":{"cpu":0.5,"memoryInGB":0.25}}}}]}}"""
                .formatted(confidential ? "Confidential" : "Standard", cce, CMD);
    }

    /** PUT, then the time until the group reads Running; returns [millis] and leaves the group in place. */
    static double putUntilRunning(String url, String body) throws Exception {
        long t0 = System.nanoTime();
        var put = send(HttpRequest.newBuilder(URI.create(url + "?api-version=2025-09-01"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            JsonNode g = json(get(url + "?api-version=2025-09-01"));
            assertThat(g.at("/properties/instanceView/state").asText()).as(g.toString()).isEqualTo("Running");
        });
        return (System.nanoTime() - t0) / 1e6;
    }

    static String groupUrl(String name) {
        return gateway.url() + "/subscriptions/" + UUID.randomUUID()
                + "/resourceGroups/e2e/providers/Microsoft.ContainerInstance/containerGroups/" + name;
    }

    @Test
    void aConfidentialGroupRunsInAnAttestableUvmThroughTheWholePlatform() throws Exception {
        String policy = policy("busybox:1.36", registry.layerHash.get("1.36"));
        String url = groupUrl("confidential");
        putUntilRunning(url, body(true, policy));
        JsonNode g = json(get(url + "?api-version=2025-09-01"));
        String hostData = g.at("/properties/hostData").asText();
        assertThat(hostData).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(policy.getBytes(StandardCharsets.UTF_8))));
        assertThat(g.at("/properties/instanceView/events").toString()).contains("UvmStarted");
        assertThat(g.at("/properties/containers/0/properties/instanceView/events").toString()).contains("Pulled")
                .contains("(runc)");

        // the group's in-group attestation endpoint: a Unix socket in the UVM's socket directory that only the
        // group's own containers have (bind-mounted at /run/parma); the test, root on the node, opens it directly
        Path uvm;
        try (Stream<Path> groups = Files.list(nodeDir.resolve("groups"))) {
            uvm = groups.map(d -> d.resolve("uvm")).filter(Files::isDirectory).findFirst().orElseThrow();
        }
        assertThat(uvm.resolve("attest.port")).as("no TCP port on the node's loopback").doesNotExist();
        if (Boolean.parseBoolean(System.getProperty("parma.guest.cds", "true"))) {
            // the guest JVM maps the class-data-sharing archive that is part of its measured image
            String pid = Files.readString(uvm.resolve("uvm.pid")).trim();
            assertThat(Files.readString(Path.of("/proc", pid, "maps"))).contains(".jsa");
        }
        byte[] runtimeData = ("{\"nonce\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
        var resp = UnixHttp.post(UnixHttp.uvmSocketDir(uvm).resolve("attest/attest.sock"), "/attest/raw",
                "{\"runtime_data\":\"" + Base64.getEncoder().encodeToString(runtimeData) + "\"}");
        assertThat(resp.status()).as(resp.body()).isEqualTo(200);
        JsonNode ev = Json.mapper().readTree(resp.body());
        var authority = SimAuthority.fromPem(Files.readString(authorityFile));
        var report = ReportVerifier.create(RootStore.amd().with(authority.roots())).verify(
                HexFormat.of().parseHex(ev.path("report").asText()),
                CertificateChain.fromPem(ev.path("vcekCertChain").asText()), Instant.now()).report();
        assertThat(HexFormat.of().formatHex(report.hostData())).isEqualTo(hostData);

        // exec through the gateway: a one-time session on the node, a shell the guest allowed, its output
        var exec = send(HttpRequest.newBuilder(URI.create(url + "/containers/app/exec?api-version=2025-09-01"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"command\":\"/bin/sh\",\"terminalSize\":{\"rows\":24,\"cols\":80}}")));
        assertThat(exec.statusCode()).as(exec.body()).isEqualTo(200);
        JsonNode session = json(exec);
        assertThat(session.path("webSocketUri").asText()).startsWith("wss://127.0.0.1:");
        var output = new StringBuilder();
        var closed = new java.util.concurrent.CompletableFuture<String>();
        // a tenant has no platform certificate: it trusts the platform CA and logs in with the session's password
        var tenant = java.net.http.HttpClient.newBuilder()
                .sslContext(dev.parma.identity.Tls.anonymous(dev.parma.testsupport.TestPki.operator().ca())).build();
        var ws = tenant.newWebSocketBuilder().header("Authorization", session.path("password").asText())
                .buildAsync(URI.create(session.path("webSocketUri").asText()), new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data,
                            boolean last) {
                        output.append(data);
                        w.request(1);
                        return null;
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket w, int code,
                            String reason) {
                        closed.complete(code + " " + reason);
                        return null;
                    }
                }).get(10, java.util.concurrent.TimeUnit.SECONDS);
        ws.sendText("echo e2e-exec-$((6*7))\nexit 5\n", true);
        assertThat(closed.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("1000 exit 5");
        assertThat(output.toString()).isEqualTo("e2e-exec-42\n");

        var delete = send(HttpRequest.newBuilder(URI.create(url + "?api-version=2025-09-01")).DELETE());
        assertThat(delete.statusCode()).isEqualTo(202);
        await().atMost(WAIT).until(() -> get(url + "?api-version=2025-09-01").statusCode() == 404);
    }

    /** Opt-in benchmark: {@code -Dparma.bench.runs=50}. */
    @Test
    void putToRunningStandardVersusConfidential() throws Exception {
        int runs = Integer.getInteger("parma.bench.runs", 0);
        if (runs == 0) {
            return; // the measurement is opt-in; the functional path is the test above
        }
        String policy = policy("busybox:1.36", registry.layerHash.get("1.36"));
        var out = new StringBuilder();
        for (boolean confidential : List.of(false, true)) {
            List<Double> ms = new ArrayList<>();
            for (int i = -2; i < runs; i++) {
                String url = groupUrl((confidential ? "c" : "s") + i);
                double t = putUntilRunning(url, body(confidential, policy));
                if (i >= 0) {
                    ms.add(t);
                }
                send(HttpRequest.newBuilder(URI.create(url + "?api-version=2025-09-01")).DELETE());
                await().atMost(WAIT).until(() -> get(url + "?api-version=2025-09-01").statusCode() == 404);
            }
            Collections.sort(ms);
            out.append(String.format("%s: n=%d p50=%.0f ms p99=%.0f ms min=%.0f max=%.0f%n",
                    confidential ? "confidential" : "standard", ms.size(), pct(ms, 50), pct(ms, 99), ms.get(0),
                    ms.get(ms.size() - 1)));
        }
        System.out.print(out);
        Files.writeString(Path.of("target/put-to-running.txt"), out.toString());
    }

    static double pct(List<Double> sorted, int p) {
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
    }
}
