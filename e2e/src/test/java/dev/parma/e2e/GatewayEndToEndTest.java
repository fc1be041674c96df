package dev.parma.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.testsupport.KafkaBroker;
import dev.parma.testsupport.PostgresDatabases;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged api-gateway in front of the packaged deployment service, with authentication on (OIDC issuer
 * and JWKS through the production settings): a real ACI template deploys through the template engine and the
 * deployment service computes HOST_DATA from exactly the policy bytes of the template; tenants are isolated.
 */
class GatewayEndToEndTest {

    static final Duration BOOT = Duration.ofSeconds(90);
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    static KafkaBroker kafka;
    static ServiceProcess deployment;
    static ServiceProcess gateway;
    static Map<String, String> gatewayEnv;

    @BeforeAll
    static void start() throws Exception {
        Path root = Path.of(System.getProperty("parma.root", "..")).toAbsolutePath().normalize();
        kafka = KafkaBroker.startEphemeral();
        String db = PostgresDatabases.recreate("parma_e2e_gateway");
        Map<String, String> common = Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "PARMA_DB_USER",
                PostgresDatabases.USER, "PARMA_DB_PASSWORD", PostgresDatabases.PASSWORD);
        var env = new HashMap<>(common);
        env.put("PARMA_DEPLOYMENT_DB_URL", db);
        deployment = ServiceProcess.start(root, "deployment-service", "gw-deployment-service", env);
        var gwEnv = new HashMap<>(common);
        gwEnv.put("PARMA_DEPLOYMENT_URL", deployment.url());
        gwEnv.put("PARMA_GATEWAY_DB_URL", PostgresDatabases.recreate("parma_e2e_gateway_state"));
        // leases short enough for a test to see a run its killed gateway left behind end interrupted
        gwEnv.put("PARMA_TEMPLATES_HEARTBEAT", "1s");
        gwEnv.put("PARMA_TEMPLATES_LEASE", "PT10S");
        gatewayEnv = E2eAuth.gatewayEnv(gwEnv);
        gateway = ServiceProcess.start(root, "api-gateway", "gw-api-gateway", gatewayEnv);
        deployment.awaitReady(BOOT);
        gateway.awaitReady(BOOT);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (deployment != null) {
            deployment.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    static HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(gateway.url() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRealTemplateDeploysThroughTheGatewayAndItsPolicyBecomesHostData() throws Exception {
        String template;
        try (InputStream in = getClass()
                .getResourceAsStream("/templates/confidential-container-samples_minecraft-cmk.json")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("<YOUR DEPLOYMENT NAME>", "minecraft").replace("<YOUR DNS NAME>", "parma-mc");
        }
        String policy = JSON.readTree(template).at("/resources/0/properties/confidentialComputeProperties/ccePolicy")
                .asText();
        String hostData = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(java.util.Base64.getDecoder().decode(policy)));
        String sub = UUID.randomUUID().toString();
        String owner = E2eAuth.token("tenant-one", "tenant-owner");
        String deploymentPath = "/subscriptions/" + sub
                + "/resourcegroups/confcom/providers/Microsoft.Resources/deployments/minecraft?api-version=2024-03-01";
        var put = call("PUT", deploymentPath, owner,
                "{\"properties\": {\"mode\": \"Incremental\", \"template\": " + template + "}}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        assertThat(put.headers().firstValue("Azure-AsyncOperation").orElseThrow()).startsWith(gateway.url());

        String group = "/subscriptions/" + sub
                + "/resourceGroups/confcom/providers/Microsoft.ContainerInstance/containerGroups/minecraft?api-version=2025-09-01";
        // the group exists (whatever its fate on nodes: none here offers SEV-SNP)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> call("GET", group, owner, null).statusCode() == 200);
        String found = call("GET", group, owner, null).body();
        JsonNode g = JSON.readTree(found);
        assertThat(g.at("/properties/hostData").asText()).as(found)
                .isEqualTo(hostData);
        assertThat(g.at("/properties/confidentialComputeProperties/ccePolicy").asText())
                .isEqualTo(JSON.readTree(template).at("/resources/0/properties/confidentialComputeProperties/ccePolicy")
                        .asText());

        JsonNode status = JSON.readTree(call("GET", deploymentPath, owner, null).body());
        assertThat(status.at("/properties/outputResources/0/id").asText()).endsWith("/containerGroups/minecraft");

        // tenant isolation: another tenant sees no such subscription; SRE reads; a reader cannot write
        var other = call("GET", group, E2eAuth.token("tenant-two", "tenant-owner"), null);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.body()).contains("SubscriptionNotFound");
        assertThat(call("GET", group, E2eAuth.token("tenant-ops", "sre"), null).statusCode()).isEqualTo(200);
        assertThat(call("DELETE", group, E2eAuth.token("tenant-one", "tenant-reader"), null).statusCode())
                .isEqualTo(403);
        assertThat(call("GET", group, null, null).statusCode()).isEqualTo(401);

        // PATCH changes tags only, through the gateway to the deployment service
        var patch = call("PATCH", group, owner, "{\"tags\": {\"owner\": \"team-one\"}}");
        assertThat(patch.statusCode()).as(patch.body()).isEqualTo(200);
        assertThat(JSON.readTree(call("GET", group, owner, null).body()).at("/tags/owner").asText())
                .isEqualTo("team-one");
    }

    /** The tenant CLI, as a process, against the packaged gateway: deploy a template and read its outputs. */
    @Test
    void theCliDeploysATemplateAndPrintsItsOutputs() throws Exception {
        Path root = Path.of(System.getProperty("parma.root", "..")).toAbsolutePath().normalize();
        Path jar = root.resolve("cli/target/cli-0.1.0-SNAPSHOT.jar");
        assertThat(jar).as("the cli module is packaged before e2e (reactor order)").exists();
        Path template = java.nio.file.Files.createTempFile("template", ".json");
        java.nio.file.Files.writeString(template,
                """
                        {
                          // a template with no resources, only outputs
                          "parameters": {"who": {"type": "string"}},
                          "resources": [],
                          "outputs": {"where": {"type": "string", "value": "[format('{0}@{1}', parameters('who'), resourceGroup().name)]"}}
                        }""");
        var pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), "deploy", template.toString(), "--param", "who=cli", "--name", "cli-deploy")
                .redirectErrorStream(true);
        pb.environment().put("PARMA_GATEWAY", gateway.url());
        pb.environment().put("PARMA_TOKEN", E2eAuth.token("tenant-cli", "tenant-owner"));
        pb.environment().put("PARMA_SUBSCRIPTION", UUID.randomUUID().toString());
        pb.environment().put("PARMA_RESOURCE_GROUP", "cli-rg");
        var process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("deployment cli-deploy accepted (201)").contains("deployment cli-deploy: Succeeded")
                .contains("where = cli@cli-rg");
    }

    /**
     * The gateway's state is in PostgreSQL: after a SIGKILL and a start, a finished deployment reads the same, the
     * subscription still belongs to its tenant, and a deployment the dead gateway was running ends Failed
     * (DeploymentInterrupted) instead of staying Running.
     */
    @Test
    void deploymentsOutliveAKilledGatewayAndTheOneItWasRunningEndsInterrupted() throws Exception {
        Path root = Path.of(System.getProperty("parma.root", "..")).toAbsolutePath().normalize();
        String owner = E2eAuth.token("tenant-restart", "tenant-owner");
        String base = "/subscriptions/" + UUID.randomUUID()
                + "/resourceGroups/restart/providers/Microsoft.Resources/deployments/";
        String v = "?api-version=2024-03-01";
        var done = call("PUT", base + "done" + v, owner, """
                {"properties": {"mode": "Incremental", "template": {"resources": [],
                  "outputs": {"where": {"type": "string", "value": "[resourceGroup().name]"}}}}}""");
        assertThat(done.statusCode()).as(done.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(
                () -> JSON.readTree(call("GET", base + "done" + v, owner, null).body())
                        .at("/properties/provisioningState").asText().equals("Succeeded"));
        // no node runs here, so the group stays Pending and its deployment keeps waiting for it
        var waiting = call("PUT", base + "waiting" + v, owner, """
                {"properties": {"mode": "Incremental", "template": {"resources": [{
                  "type": "Microsoft.ContainerInstance/containerGroups", "apiVersion": "2023-05-01",
                  "name": "never-placed", "location": "westeurope", "properties": {"sku": "Standard",
                    "containers": [{"name": "c", "properties": {"image": "busybox:1.36",
                      "resources": {"requests": {"cpu": 1, "memoryInGB": 1}}}}]}}]}}}""");
        assertThat(waiting.statusCode()).as(waiting.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonNode d = JSON.readTree(call("GET", base + "waiting" + v, owner, null).body());
            return d.at("/properties/provisioningState").asText().equals("Running")
                    && d.at("/properties/outputResources/0/id").asText().endsWith("/containerGroups/never-placed");
        });
        JsonNode before = JSON.readTree(call("GET", base + "done" + v, owner, null).body());

        gateway.kill();
        gateway = ServiceProcess.start(root, "api-gateway", "gw-api-gateway-restarted", gatewayEnv);
        gateway.awaitReady(BOOT);

        JsonNode after = JSON.readTree(call("GET", base + "done" + v, owner, null).body());
        assertThat(after.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
        assertThat(after.at("/properties/outputs/where/value").asText()).isEqualTo("restart");
        assertThat(after.at("/properties/correlationId")).isEqualTo(before.at("/properties/correlationId"));
        assertThat(after.at("/properties/timestamp")).isEqualTo(before.at("/properties/timestamp"));
        var stranger = call("GET", base + "done" + v, E2eAuth.token("tenant-two", "tenant-owner"), null);
        assertThat(stranger.statusCode()).as("the subscription is still tenant-restart's").isEqualTo(404);

        JsonNode ended = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(
                () -> JSON.readTree(call("GET", base + "waiting" + v, owner, null).body()),
                d -> !d.at("/properties/provisioningState").asText().equals("Running"));
        assertThat(ended.at("/properties/provisioningState").asText()).as(ended.toString()).isEqualTo("Failed");
        assertThat(ended.at("/properties/error/code").asText()).isEqualTo("DeploymentInterrupted");
        assertThat(ended.at("/properties/outputResources/0/id").asText()).endsWith("/containerGroups/never-placed");
    }
}
