package dev.parma.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Template deployments through the gateway's HTTP API, with the real ACI templates (test resources, see their
 * PROVENANCE.md) against a stand-in deployment service that records exactly what it received.
 */
@QuarkusTest
@GatewayTestDatabase
@TestProfile(FakeBackend.Profile.class)
class TemplateDeploymentTest {

    @Inject
    DataSource db;

    static final ObjectMapper JSON = new ObjectMapper();
    static final String V = "?api-version=2024-03-01";

    static String resource(String name) throws IOException {
        try (InputStream in = TemplateDeploymentTest.class.getResourceAsStream("/templates/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The deployment request, with the template text embedded verbatim (so line numbers stay meaningful). */
    static String request(String templateText, String parameters) {
        return "{\"properties\": {\"mode\": \"Incremental\", \"parameters\": " + parameters + ",\n\"template\": "
                + templateText + "}}";
    }

    static String deploymentUrl(String sub, String rg, String name) {
        // lower-case "resourcegroups": ARM paths are case-insensitive
        return "/subscriptions/" + sub + "/resourcegroups/" + rg + "/providers/Microsoft.Resources/deployments/" + name;
    }

    static Response deploy(String url, String body) {
        return given().header("Authorization", Tokens.owner()).contentType(ContentType.JSON).body(body).put(url + V);
    }

    static JsonNode awaitTerminal(String url) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            var r = given().header("Authorization", Tokens.owner()).get(url + V);
            return JSON.readTree(r.asString());
        }, d -> !d.at("/properties/provisioningState").asText().matches("Accepted|Running"));
    }

    static String ccePolicy(String templateText) throws IOException {
        return JSON.readTree(templateText).at("/resources/0/properties/confidentialComputeProperties/ccePolicy")
                .asText(null);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "confidential-container-demos_hello-world-aci.json|{\"name\": {\"value\": \"hello-anchor\"}, \"port\": {\"value\": \"8080\"}, \"restartPolicy\": {\"value\": \"never\"}}|hello-anchor",
            "confidential-sidecar-containers_skr-aci.json|{\"containerGroupName\": {\"value\": \"skr-anchor\"}}|skr-anchor",
            "confcom_sample_existing_policy_arm_template.json|{}|group1",
            "confcom_sample_template_output_arm_template.json|{}|secret-volume-demo"})
    void realTemplatesDeployWithTheirPolicyPassedThroughByteForByte(String file, String parameters, String group)
            throws Exception {
        String template = resource(file);
        String url = deploymentUrl("s1", "anchors", file.replace(".json", "").replace('_', '-'));
        deploy(url, request(template, parameters)).then().statusCode(201)
                .header("Azure-AsyncOperation", containsString("/operationStatuses/"))
                .header("Location", containsString("/operationStatuses/")).header("Retry-After", "2")
                .body("type", equalTo("Microsoft.Resources/deployments"));
        JsonNode done = awaitTerminal(url);
        assertThat(done.at("/properties/provisioningState").asText()).as(done.toString()).isEqualTo("Succeeded");
        String groupId = "/subscriptions/s1/resourceGroups/anchors/providers/Microsoft.ContainerInstance/containerGroups/"
                + group;
        assertThat(done.at("/properties/outputResources/0/id").asText()).isEqualTo(groupId);

        String sent = FakeBackend.groups.get(groupId.toLowerCase());
        assertThat(sent).isNotNull();
        String policy = ccePolicy(template);
        if (policy != null) {
            // the exact bytes of the template's ccePolicy string reach the deployment service
            String raw = template.substring(template.indexOf("\"ccePolicy\""));
            raw = raw.substring(raw.indexOf(':') + 1).trim();
            raw = raw.substring(1, raw.indexOf('"', 1));
            assertThat(sent).contains("\"ccePolicy\":\"" + raw + "\"");
            assertThat(JSON.readTree(sent).at("/properties/confidentialComputeProperties/ccePolicy").asText())
                    .isEqualTo(policy);
        }
        if (done.at("/properties/outputs").has("containerIPv4Address")) {
            assertThat(done.at("/properties/outputs/containerIPv4Address/value").asText()).isEqualTo("10.0.0.7");
        }
    }

    @Test
    void helloWorldTakesItsParametersAndDefaults() throws Exception {
        String url = deploymentUrl("s1", "hello", "d1");
        deploy(url, request(resource("confidential-container-demos_hello-world-aci.json"),
                "{\"name\": {\"value\": \"hw\"}, \"cpuCores\": {\"value\": 2}}")).then().statusCode(201);
        JsonNode done = awaitTerminal(url);
        assertThat(done.at("/properties/parameters/location/value").asText()).isEqualTo("North Europe");
        assertThat(done.at("/properties/parameters/cpuCores/value").asInt()).isEqualTo(2);
        JsonNode sent = JSON.readTree(FakeBackend.groups
                .get("/subscriptions/s1/resourcegroups/hello/providers/microsoft.containerinstance/containergroups/hw"));
        // forwarded in canonical form: one region, however the template spells it
        assertThat(sent.at("/location").asText()).isEqualTo("northeurope");
        assertThat(sent.at("/properties/containers/0/properties/resources/requests/cpu").asInt()).isEqualTo(2);
        assertThat(sent.at("/properties/ipAddress/ports/0/port").asInt()).isEqualTo(80);
        assertThat(sent.at("/properties/restartPolicy").asText()).isEqualTo("Never");
    }

    @Test
    void minecraftsPlaceholderNameIsRefusedWithItsLineThenDeploysOnceNamed() throws Exception {
        String template = resource("confidential-container-samples_minecraft-cmk.json");
        String url = deploymentUrl("s1", "games", "mc");
        // the request puts the template on its second line
        deploy(url, request(template, "{}")).then().statusCode(400).body("error.code", equalTo("InvalidTemplate"))
                .body("error.message", containsString("'<YOUR DEPLOYMENT NAME>' is a placeholder"))
                .body("error.message", containsString("at line '7' and column '21'"));
        String named = template.replace("<YOUR DEPLOYMENT NAME>", "minecraft").replace("<YOUR DNS NAME>", "mc-parma");
        deploy(url, request(named, "{}")).then().statusCode(201);
        assertThat(awaitTerminal(url).at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
        JsonNode sent = JSON.readTree(FakeBackend.groups
                .get("/subscriptions/s1/resourcegroups/games/providers/microsoft.containerinstance/containergroups/minecraft"));
        assertThat(sent.at("/properties/containers/0/name").asText()).matches("[a-z2-7]{13}");
        assertThat(sent.at("/properties/confidentialComputeProperties/ccePolicy").asText())
                .isEqualTo(ccePolicy(template));
        assertThat(sent.at("/location").asText()).isEqualTo("westeurope");
    }

    @Test
    void commentsAreToleratedAndDependsOnOrdersTheGroups() throws Exception {
        String template = """
                {
                  // three groups, declared in reverse order of their dependencies
                  "parameters": {"prefix": {"type": "string", "defaultValue": "[toLower('APP')]"}},
                  "variables": {"first": "[concat(parameters('prefix'), '-a')]"},
                  "resources": [
                    /* c needs b */
                    {"type": "Microsoft.ContainerInstance/containerGroups", "apiVersion": "2025-09-01",
                     "name": "[concat(parameters('prefix'), '-c')]", "location": "[resourceGroup().location]",
                     "dependsOn": ["[resourceId('Microsoft.ContainerInstance/containerGroups', concat(parameters('prefix'), '-b'))]"],
                     "properties": {"containers": []}},
                    {"type": "Microsoft.ContainerInstance/containerGroups", "apiVersion": "2025-09-01",
                     "name": "[format('{0}-b', parameters('prefix'))]", "location": "westeurope",
                     "dependsOn": ["[variables('first')]"], "properties": {"containers": []}},
                    {"type": "Microsoft.ContainerInstance/containerGroups", "apiVersion": "2025-09-01",
                     "name": "[variables('first')]", "location": "westeurope", "properties": {"containers": []}}
                  ],
                  "outputs": {"order": {"type": "string", "value": "[deployment().name]"}}
                }""";
        String url = deploymentUrl("s1", "ordered", "chain");
        FakeBackend.requests.clear();
        deploy(url, request(template, "{}")).then().statusCode(201);
        JsonNode done = awaitTerminal(url);
        assertThat(done.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
        assertThat(done.at("/properties/outputs/order/value").asText()).isEqualTo("chain");
        assertThat(done.at("/properties/dependencies")).hasSize(2);
        assertThat(FakeBackend.requests.stream().filter(r -> r.startsWith("PUT"))
                .map(r -> r.substring(r.lastIndexOf('/') + 1)))
                .containsExactly("app-a", "app-b", "app-c");
    }

    @Test
    void invalidTemplatesAre400sWithLineAndColumn() {
        String url = deploymentUrl("s1", "bad", "bad");
        String badExpression = "{\n\"properties\": {\n\"template\": {\"resources\": [\n"
                + "  {\"type\": \"Microsoft.ContainerInstance/containerGroups\", \"name\": \"a\", \"tags\": {\"t\": \"[concat('a'\"}, \"properties\": {}},\n"
                + "  {\"type\": \"Microsoft.ContainerInstance/containerGroups\",\n     \"name\": \"[concat('a', nope())]\", \"properties\": {}}\n"
                + "]}}}";
        deploy(url, badExpression).then().statusCode(400).body("error.code", equalTo("InvalidTemplate"))
                .body("error.message", containsString("'nope' is not valid"))
                .body("error.message", containsString("at line '6' and column '14'"))
                .body("error.target", equalTo("/properties/template/resources/1/name"));
        deploy(url, "{\"properties\": {\"template\": {\"resources\": [}}}").then().statusCode(400)
                .body("error.code", equalTo("InvalidTemplate"))
                .body("error.message", containsString("at line '1' and column"));
        deploy(url,
                request("{\"resources\": [{\"type\": \"Microsoft.Storage/storageAccounts\", \"name\": \"x\"}]}", "{}"))
                .then().statusCode(400).body("error.message", containsString("is not supported"));
        deploy(url, "{\"properties\": {\"mode\": \"Complete\", \"template\": {\"resources\": []}}}").then()
                .statusCode(400)
                .body("error.message", containsString("Incremental"));
        given().header("Authorization", Tokens.owner()).get(url + V).then().statusCode(404)
                .body("error.code", equalTo("DeploymentNotFound"));
    }

    @Test
    void secureParametersNeverAppearInResponses() throws Exception {
        String template = """
                {"parameters": {"pw": {"type": "securestring"}, "plain": {"type": "string"}},
                 "resources": [{"type": "Microsoft.ContainerInstance/containerGroups", "apiVersion": "2023-05-01",
                   "name": "sec", "properties": {"containers": [{"name": "c", "properties": {"image": "busybox",
                     "environmentVariables": [{"name": "PW", "secureValue": "[parameters('pw')]"}]}}]}}],
                 "variables": {"wrapped": "[concat('x-', parameters('pw'))]", "twice": "[variables('wrapped')]"},
                 "outputs": {"leak": {"type": "securestring", "value": "[parameters('pw')]"},
                   "encoded": {"type": "string", "value": "[base64(parameters('pw'))]"},
                   "viaVariable": {"type": "string", "value": "[toUpper(variables('twice'))]"},
                   "computedName": {"type": "string", "value": "[parameters(concat('p', 'w'))]"},
                   "inAnObject": {"type": "object", "value": {"k": "[parameters('PW')]"}},
                   "plain": {"type": "string", "value": "[parameters('plain')]"}}}""";
        String url = deploymentUrl("s1", "secure", "sec");
        String secret = "s3cr3t-" + System.nanoTime();
        String put = deploy(url,
                request(template, "{\"pw\": {\"value\": \"" + secret + "\"}, \"plain\": {\"value\": \"p\"}}"))
                .then().statusCode(201).extract().asString();
        JsonNode done = awaitTerminal(url);
        assertThat(put).doesNotContain(secret);
        assertThat(done.toString()).doesNotContain(secret);
        assertThat(done.at("/properties/parameters/pw/type").asText()).isEqualTo("SecureString");
        assertThat(done.at("/properties/parameters/pw").has("value")).isFalse();
        assertThat(done.at("/properties/outputs/leak").has("value")).isFalse();
        // outputs derived from the secure parameter are redacted like it, whatever type they declare
        for (String derived : new String[]{"encoded", "viaVariable", "computedName", "inAnObject"}) {
            assertThat(done.at("/properties/outputs/" + derived).has("value")).as(derived).isFalse();
            assertThat(done.at("/properties/outputs/" + derived).has("type")).as(derived).isTrue();
        }
        assertThat(done.at("/properties/outputs/plain/value").asText()).isEqualTo("p");
        assertThat(done.toString()).doesNotContain(java.util.Base64.getEncoder().encodeToString(secret.getBytes()));
        // the group itself gets it (the deployment service strips secure values from its own GET)
        assertThat(FakeBackend.groups.values()).anyMatch(g -> g.contains(secret));
    }

    @Test
    void operationStatusAndListAndApiVersions() throws Exception {
        String url = deploymentUrl("s1", "ops", "op1");
        String op = deploy(url, request("{\"resources\": []}", "{}")).then().statusCode(201).extract()
                .header("Azure-AsyncOperation");
        assertThat(op).startsWith(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + "/");
        awaitTerminal(url);
        given().header("Authorization", Tokens.owner()).get(op.substring(op.indexOf("/subscriptions"))).then()
                .statusCode(200).body("status", equalTo("Succeeded"));
        given().header("Authorization", Tokens.owner())
                .get("/subscriptions/s1/resourceGroups/ops/providers/Microsoft.Resources/deployments" + V).then()
                .statusCode(200).body("value[0].name", equalTo("op1"));
        given().header("Authorization", Tokens.owner()).get(url + "?api-version=2015-01-01").then().statusCode(400)
                .body("error.code", equalTo("InvalidApiVersionParameter"));
        given().header("Authorization", Tokens.owner()).contentType(ContentType.JSON)
                .body(request("{\"resources\": []}", "{}"))
                .post(url + "/validate" + V).then().statusCode(200)
                .body("properties.provisioningState", equalTo("Succeeded"));
    }

    @Test
    void onlyOwnersDeployAndOtherTenantsSeeNothing() {
        String url = deploymentUrl("s1", "authz", "x");
        given().header("Authorization", Tokens.bearer("tenant-a", "tenant-reader")).contentType(ContentType.JSON)
                .body(request("{\"resources\": []}", "{}")).put(url + V).then().statusCode(403);
        given().header("Authorization", Tokens.bearer("tenant-b", "tenant-owner")).contentType(ContentType.JSON)
                .body(request("{\"resources\": []}", "{}")).put(url + V).then().statusCode(404)
                .body("error.code", startsWith("SubscriptionNotFound"));
    }

    @Test
    void referenceReadsOnlyWhatTheDeploymentCreatedNeverAnotherTenantsGroup() throws Exception {
        FakeBackend.groups.put(
                "/subscriptions/sub-b/resourcegroups/rg/providers/microsoft.containerinstance/containergroups/theirs",
                "{\"properties\":{\"ipAddress\":{\"ip\":\"10.9.9.9\"}}}");
        String template = "{\"resources\": [], \"outputs\": {\"steal\": {\"type\": \"string\", \"value\":"
                + " \"[reference('/subscriptions/sub-b/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/theirs').ipAddress.ip]\"}}}";
        String url = deploymentUrl("s1", "steal", "s1");
        deploy(url, request(template, "{}")).then().statusCode(201);
        JsonNode done = awaitTerminal(url);
        assertThat(done.toString()).doesNotContain("10.9.9.9");
        assertThat(done.at("/properties/provisioningState").asText()).isEqualTo("Failed");
        assertThat(done.at("/properties/error/message").asText()).contains("was not deployed by this template");
    }

    @Test
    void aRefusedGroupFailsTheDeploymentNamingTheResource() throws Exception {
        String template = "{\"resources\": [{\"type\": \"Microsoft.ContainerInstance/containerGroups\","
                + " \"name\": \"refuse-me\", \"properties\": {}}]}";
        String url = deploymentUrl("s1", "refused", "r1");
        deploy(url, request(template, "{}")).then().statusCode(201);
        JsonNode done = awaitTerminal(url);
        assertThat(done.at("/properties/provisioningState").asText()).isEqualTo("Failed");
        assertThat(done.at("/properties/error/code").asText()).isEqualTo("DeploymentFailed");
        assertThat(done.at("/properties/error/details/0/code").asText()).isEqualTo("InvalidContainerName");
        assertThat(done.at("/properties/error/details/0/target").asText())
                .endsWith("/containerGroups/refuse-me#properties.containers[0].name");
    }

    @Test
    void aRunWhoseGatewayDiedEndsFailedAsInterruptedAndCanBeDeployedAgain() throws Exception {
        // another gateway accepted this deployment, created one group, and died: no lease renewal for two hours
        String group = "/subscriptions/s1/resourceGroups/orphans/providers/Microsoft.ContainerInstance"
                + "/containerGroups/web";
        try (var c = db.getConnection();
                var s = c.prepareStatement("INSERT INTO template_deployments (subscription, resource_group, name, id,"
                        + " mode, operation_id, correlation_id, state, started_at, parameters, dependencies,"
                        + " output_resources, heartbeat_at) VALUES ('s1', 'orphans', 'o1', '/subscriptions/s1"
                        + "/resourceGroups/orphans/providers/Microsoft.Resources/deployments/o1', 'Incremental',"
                        + " 'op-o1', 'corr-o1', 'Running', now() - interval '2 hours', '{}', '[]', ARRAY[?],"
                        + " now() - interval '2 hours')")) {
            s.setString(1, group);
            s.executeUpdate();
        }
        String url = deploymentUrl("s1", "orphans", "o1");
        JsonNode done = awaitTerminal(url);
        assertThat(done.at("/properties/provisioningState").asText()).isEqualTo("Failed");
        assertThat(done.at("/properties/error/code").asText()).isEqualTo("DeploymentInterrupted");
        assertThat(done.at("/properties/outputResources/0/id").asText()).isEqualTo(group);
        given().header("Authorization", Tokens.owner()).get(url + "/operationStatuses/op-o1" + V).then()
                .statusCode(200).body("status", equalTo("Failed")).body("error.code", equalTo("DeploymentInterrupted"))
                .body("endTime", org.hamcrest.Matchers.notNullValue());

        deploy(url, request("{\"resources\": []}", "{}")).then().statusCode(200);
        assertThat(awaitTerminal(url).at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
    }
}
