package dev.parma.e2e;

import static dev.parma.e2e.E2eHttp.get;
import static dev.parma.e2e.E2eHttp.json;
import static dev.parma.e2e.E2eHttp.send;
import static dev.parma.e2e.E2eHttp.with;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.contracts.Json;
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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SRE page in Debian's headless Chromium, driven by playwright-core from npm, against the packaged platform
 * (gateway, deployment and attestation services, one sim node): after a policy denial, a group that ran and a refused
 * attestation, the page shows the node, the group counts, the denial and the failed attestation to an SRE, and a
 * tenant's token gets a plain 403 message. Screenshots: e2e/target/sre-page.png (and sre-page-forbidden.png).
 */
class SrePageEndToEndTest {

    static final Duration BOOT = Duration.ofSeconds(120);
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String V = "?api-version=2025-09-01";

    static KafkaBroker kafka;
    static OciRegistry registry;
    static final List<ServiceProcess> processes = new ArrayList<>();
    static ServiceProcess gateway;
    static ServiceProcess attestation;
    static String nodeId;

    @BeforeAll
    static void startPlatform() throws Exception {
        Path root = root();
        kafka = KafkaBroker.startEphemeral();
        registry = new OciRegistry();
        String mirror = registry.start().get("parma.node.registry-mirror");
        Map<String, String> common = Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "PARMA_DB_USER",
                PostgresDatabases.USER, "PARMA_DB_PASSWORD", PostgresDatabases.PASSWORD);
        var deployment = ServiceProcess.start(root, "deployment-service", "sre-deployment-service",
                with(common, "PARMA_DEPLOYMENT_DB_URL", PostgresDatabases.recreate("parma_e2e_sre")));
        processes.add(deployment);
        // the attestation service checks the SRE's token itself (the gateway passes it along): the same issuer
        attestation = ServiceProcess.start(root, "attestation-service", "sre-attestation-service",
                E2eAuth.issuerEnv(with(common, "PARMA_ATTESTATION_DB_URL",
                        PostgresDatabases.recreate("parma_e2e_sre_attestation"), "PARMA_ATTESTATION_MASTER_KEY",
                        Base64.getEncoder().encodeToString(new java.security.SecureRandom().generateSeed(32)))));
        processes.add(attestation);
        gateway = ServiceProcess.start(root, "api-gateway", "sre-api-gateway", E2eAuth.gatewayEnv(with(common,
                "PARMA_DEPLOYMENT_URL", deployment.url(), "PARMA_ATTESTATION_URL", attestation.url(),
                "PARMA_GATEWAY_DB_URL",
                PostgresDatabases.recreate("parma_e2e_sre_gateway"))));
        processes.add(gateway);
        nodeId = "e2e-sre-" + UUID.randomUUID().toString().substring(0, 8);
        processes.add(ServiceProcess.startNode(root, kafka, "sre-node", with(common, "PARMA_NODE_ID", nodeId,
                "PARMA_NODE_WORK_DIR", root.resolve("e2e/target/nodes/" + nodeId).toString(), "PARMA_NODE_DRIVER",
                "sim", "PARMA_NODE_REGISTRY_MIRROR", mirror)));
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
    }

    static Path root() {
        return Path.of(System.getProperty("parma.root", "..")).toAbsolutePath().normalize();
    }

    static String groupUrl(String sub, String name) {
        return gateway.url() + "/subscriptions/" + sub
                + "/resourceGroups/sre/providers/Microsoft.ContainerInstance/containerGroups/" + name + V;
    }

    static void put(String url, String body) throws Exception {
        var put = send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    }

    /** A confidential group whose policy allows one command while the group runs another: pre-flight denies it. */
    static String deniedGroup() {
        String image = "busybox:1.36";
        var info = new ImageInfo(image, Optional.empty(), Optional.of(List.of("sh")), List.of("PATH=/bin"),
                Optional.empty(), List.of("0".repeat(64)));
        String policy = PolicyGenerator.generate(new GroupSpec(List.of(ContainerSpec.of("app", image)
                .withCommand(List.of("/bin/sh", "-c", "echo allowed")))), Map.of(image, info),
                GenerateOptions.defaults());
        return """
                {"location":"westeurope","properties":{"sku":"Confidential","osType":"Linux",
                "confidentialComputeProperties":{"ccePolicy":"%s"},
                "containers":[{"name":"app","properties":{"image":"busybox:1.36",
                "command":["/bin/sh","-c","echo denied"],"resources":{"requests":{"cpu":0.5,"memoryInGB":0.25}}}}]}}"""
                .formatted(Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anSreSeesNodesGroupsDenialsAndFailedAttestationsAndATenantIsToldItIsForbidden() throws Exception {
        String sre = E2eAuth.token("e2e-ops", "sre");
        // the node's first heartbeat, so the standard group is placed at once
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250))
                .until(() -> overview(sre).at("/nodes/0/live").asBoolean());
        String sub = UUID.randomUUID().toString();
        put(groupUrl(sub, "denied"), deniedGroup());
        // a standard group that runs once to the end on the node (its run is a row of the overhead table)
        String ran = groupUrl(sub, "ran");
        put(ran,
                """
                        {"location":"westeurope","tags":{"workload":"sre-e2e"},"properties":{"sku":"Standard",
                        "restartPolicy":"Never","containers":[{"name":"once","properties":{"image":"busybox:1.36",
                        "command":["/bin/sh","-c","echo sre-e2e"],"resources":{"requests":{"cpu":0.5,"memoryInGB":0.25}}}}]}}""");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(
                () -> json(get(ran)).at("/properties/provisioningState").asText().equals("Succeeded"));
        // a guest with a broken report, asking for a tenant's token
        var refused = E2eHttp.HTTP.send(HttpRequest.newBuilder(URI.create(attestation.url()
                + "/tenants/e2e-tenant/attest/SevSnpVm?api-version=2022-08-01"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"report\":\"bm90LWEtcmVwb3J0\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        String refusedCode = Json.mapper().readTree(refused.body()).at("/error/code").asText();

        JsonNode overview = await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> overview(sre),
                o -> o.path("denials").size() > 0 && o.at("/attestationFailures/value").size() > 0);

        JsonNode page = drive(sre, E2eAuth.token("e2e-tenant", "tenant-owner"));

        assertThat(page.path("consoleErrors")).as("no script or CSP errors").isEmpty();
        assertThat(page.path("pageUrl").asText()).endsWith("/sre/");
        assertThat(page.path("forbiddenMessage").asText()).startsWith("Forbidden").contains("sre role")
                .contains("AuthorizationFailed");
        assertThat(page.path("overviewHiddenForOther").asBoolean()).isTrue();
        assertThat(page.path("messageHidden").asBoolean()).isTrue();

        assertThat(page.path("nodes")).singleElement().satisfies(row -> assertThat(texts(row)).startsWith(nodeId,
                "live", "sim", "SNP (simulated)"));
        assertThat(page.at("/groups/Failed/count").asInt()).isEqualTo(1);
        assertThat(page.at("/groups/Failed/text").asText()).contains("1 Confidential");
        assertThat(page.at("/groups/Succeeded/count").asInt()).isEqualTo(1);
        assertThat(page.at("/groups/Succeeded/text").asText()).contains("1 Standard");

        assertThat(page.path("denials")).isNotEmpty().allSatisfy(row -> assertThat(texts(row).get(1))
                .startsWith("denied").contains(sub));
        assertThat(page.path("denials")).anySatisfy(row -> {
            var cells = texts(row);
            assertThat(cells.subList(2, 4)).containsExactly("app", "preflight");
            assertThat(cells.get(4)).startsWith("command").contains("echo denied");
        });
        assertThat(page.path("attestationFailures")).singleElement().satisfies(row -> assertThat(texts(row))
                .containsSubsequence(refusedCode, "400", "e2e-tenant", "127.0.0.1"));

        // the overhead table is whatever the node serves: its workloads, or a plain "unavailable"
        JsonNode overhead = overview.path("overhead");
        if (overhead.path("answered").size() == 0) {
            assertThat(page.path("overhead")).singleElement().satisfies(row -> assertThat(texts(row).get(0))
                    .startsWith("Unavailable"));
        } else {
            var shown = new ArrayList<String>();
            page.path("overhead").forEach(row -> shown.add(texts(row).get(0)));
            var expected = new ArrayList<String>();
            overhead.path("workloads").forEach(w -> expected.add(w.path("workload").asText()));
            if (!expected.isEmpty()) {
                assertThat(shown).containsExactlyElementsOf(expected);
            }
        }
        assertThat(page.path("overheadSummary").asText()).contains("of 1 live node");
    }

    /** The page's data, as the page reads it. */
    static JsonNode overview(String sreToken) throws Exception {
        return json(send(HttpRequest.newBuilder(URI.create(gateway.url() + "/providers/Parma.Operations/overview" + V))
                .header("Authorization", "Bearer " + sreToken)));
    }

    static List<String> texts(JsonNode row) {
        var out = new ArrayList<String>();
        row.forEach(c -> out.add(c.asText()));
        return out;
    }

    /** Runs sre-page.mjs (playwright-core, installed from the committed lockfile) and returns what it saw. */
    static JsonNode drive(String sreToken, String otherToken) throws Exception {
        Path work = Files.createDirectories(root().resolve("e2e/target/sre-page"));
        for (String f : List.of("package.json", "package-lock.json", "sre-page.mjs")) {
            Files.copy(root().resolve("e2e/src/test/js").resolve(f), work.resolve(f),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(work.resolve("node_modules/playwright-core"))) {
            run(work, "npm", "ci", "--no-audit", "--no-fund");
        }
        ObjectNode input = Json.mapper().createObjectNode();
        input.put("url", gateway.url());
        input.put("sreToken", sreToken);
        input.put("otherToken", otherToken);
        input.put("screenshot", root().resolve("e2e/target/sre-page.png").toString());
        input.put("forbiddenScreenshot", root().resolve("e2e/target/sre-page-forbidden.png").toString());
        input.put("userDataDir", Files.createTempDirectory(work, "chromium-").toString());
        Files.writeString(work.resolve("input.json"), input.toString());
        String out = run(work, "node", "sre-page.mjs", "input.json");
        return Json.mapper().readTree(out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no result from sre-page.mjs:\n" + out)));
    }

    static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
        assertThat(p.exitValue()).as("%s exit code; output:%n%s", List.of(command), out).isZero();
        return out;
    }
}
