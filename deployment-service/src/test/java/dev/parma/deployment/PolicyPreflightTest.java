package dev.parma.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Confidential groups against real confcom policies (anchors): a group that matches its policy is accepted with
 * HOST_DATA = SHA-256 of the policy; one the guest would deny fails at once, naming container, field and reason,
 * and no node is ever asked to start it.
 */
@QuarkusTest
@DeploymentTestResources
class PolicyPreflightTest {

    static final String ENV_POLICY_HOST_DATA = "2a61992d0410b5029be5b7a8814eab625d406a3cfdc4051c935ee18dab4c45e0";
    static final String TEMPLATE_POLICY_HOST_DATA = "bec8864478ec1e5817fc20ead2ba2a9c9d64800e264913d833699bf2e7a1ccb8";
    static final String DISTROLESS = "mcr.microsoft.com/azurelinux/distroless/base@sha256:"
            + "1e77d97e1e39f22ed9c52f49b3508b4c1044cec23743df9098ac44e025f654f2";
    static final String RUST_POLICY = "confcom_sample_template_output_arm_template.ccePolicy.decoded.rego";
    static final String ENV_POLICY = "confcom_sample_environment_variables_policy.rego";

    static String policy(String file) throws Exception {
        try (InputStream in = PolicyPreflightTest.class.getResourceAsStream("/anchors/" + file)) {
            return Base64.getEncoder().encodeToString(in.readAllBytes());
        }
    }

    static String url(String name) {
        return "/subscriptions/pf-" + UUID.randomUUID()
                + "/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/" + name
                + "?api-version=2025-09-01";
    }

    static String envGroup(String policy, String env) {
        return """
                {"location":"eastus","properties":{"sku":"Confidential","confidentialComputeProperties":{"ccePolicy":"%s"},
                "containers":[{"name":"container1","properties":{"image":"%s",
                "environmentVariables":[%s],"resources":{"requests":{"cpu":1,"memoryInGB":2}}}}]}}"""
                .formatted(policy, DISTROLESS, env);
    }

    static String rustGroup(String policy, String command) {
        return """
                {"location":"eastus","properties":{"sku":"Confidential",
                "confidentialComputeProperties":{"ccePolicy":"%s"},
                "containers":[{"name":"rust","properties":{"image":"rust:1.52.1","command":%s,
                  "ports":[{"port":80}],
                  "environmentVariables":[{"name":"PATH","value":"/customized/path/value"},
                    {"name":"TEST_REGEXP_ENV","value":"test_regexp_env"}],
                  "volumeMounts":[{"name":"azurefile","mountPath":"/mount/azurefile"}],
                  "resources":{"requests":{"cpu":1,"memoryInGb":1.5}}}}],
                "ipAddress":{"type":"Public","ports":[{"protocol":"tcp","port":"80"}]},
                "volumes":[{"name":"azurefile","azureFile":{"shareName":"s","storageAccountName":"a",
                  "storageAccountKey":"do-not-echo"}}]}}""".formatted(policy, command);
    }

    @Test
    void aGroupMatchingItsConfcomPolicyIsAcceptedWithHostDataAndWaitsForAnSnpNode() throws Exception {
        // confcom's sample-template-output: rust:1.52.1 running bash, two env vars, an Azure Files mount.
        var put = given().contentType(ContentType.JSON).body(rustGroup(policy(RUST_POLICY), "[\"bash\"]"))
                .put(url("rust")).then().statusCode(201)
                .body("properties.hostData", equalTo(TEMPLATE_POLICY_HOST_DATA))
                .body("properties.provisioningState", equalTo("Pending"))
                .body("properties.instanceView.events[0].name", equalTo("NoCapacity"))
                .extract();
        assertThat(put.asString()).doesNotContain("do-not-echo");
    }

    @Test
    void anotherCommandThanThePolicysIsDenied() throws Exception {
        given().contentType(ContentType.JSON)
                .body(rustGroup(policy(RUST_POLICY), "[\"/bin/sh\",\"-c\",\"curl evil\"]"))
                .put(url("evil")).then().statusCode(201)
                .body("properties.provisioningState", equalTo("Failed"))
                .body("properties.instanceView.events.message", hasItem(containsString(
                        "command: the container would run [/bin/sh, -c, curl evil] but the policy allows [bash]")));
    }

    @Test
    void theConfcomEnvSampleCannotRunAsWrittenAndTheTenantIsToldWhy() throws Exception {
        // Its policy says "command": null (the image has no entrypoint), which matches no command at all.
        given().contentType(ContentType.JSON)
                .body(envGroup(policy(ENV_POLICY), "{\"name\":\"MY_VAR\",\"value\":\"MY_VAL\"}"))
                .put(url("envsample")).then().statusCode(201)
                .body("properties.hostData", equalTo(ENV_POLICY_HOST_DATA))
                .body("properties.provisioningState", equalTo("Failed"))
                .body("properties.instanceView.events.message",
                        hasItem(containsString("command: the policy's command is null")));
    }

    @Test
    void everyProblemIsAStructuredDetailOnTheFailedOperation() throws Exception {
        String body = rustGroup(policy(RUST_POLICY), "[\"sh\"]").replace("/mount/azurefile", "/elsewhere");
        var put = given().contentType(ContentType.JSON).body(body).put(url("denied")).then().statusCode(201)
                .body("properties.provisioningState", equalTo("Failed"))
                .body("properties.instanceView.events.name", hasItem("PolicyPreflightFailed"))
                .extract();
        var op = given().get(URI.create(put.header("Azure-AsyncOperation")).getPath()).then().statusCode(200)
                .body("status", equalTo("Failed"))
                .body("error.code", equalTo("PolicyPreflightFailed"))
                .extract().jsonPath();
        assertThat(op.getList("error.details.target", String.class))
                .contains("properties.containers[0].command").allMatch(t -> t.startsWith("properties.containers[0]."))
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(op.getList("error.details.message", String.class)).allMatch(m -> m.contains("'rust'"))
                .anyMatch(m -> m.contains("/elsewhere"));
    }

    @Test
    void variablesThePolicyWillDropAreToldToTheTenantUpFront() throws Exception {
        String body = rustGroup(policy(RUST_POLICY), "[\"bash\"]").replace("\"environmentVariables\":[",
                "\"environmentVariables\":[{\"name\":\"DEBUG_MODE\",\"value\":\"1\"},");
        given().contentType(ContentType.JSON).body(body).put(url("dropping")).then().statusCode(201)
                .body("properties.provisioningState", equalTo("Pending"))
                .body("properties.instanceView.events.find { it.name == 'PolicyPreflightNote' }.message",
                        containsString("DEBUG_MODE"));
    }

    @Test
    void aPolicyOnAStandardGroupIsNotSilentlyDropped() throws Exception {
        // ACI's default SKU is Standard; confcom's existing_policy template sends a ccePolicy without a sku.
        String body = rustGroup(policy(RUST_POLICY), "[\"bash\"]").replace("\"sku\":\"Confidential\",", "");
        given().contentType(ContentType.JSON).body(body).put(url("standard")).then().statusCode(201)
                .body("properties.sku", equalTo("Standard"))
                .body("properties.hostData", org.hamcrest.Matchers.nullValue())
                .body("properties.instanceView.events.name", hasItem("CcePolicyIgnored"));
    }

    @Test
    void aPolicyWeCannotEnforceIsRefusedWithLineAndColumn() {
        String custom = Base64.getEncoder().encodeToString("""
                package policy
                api_version := "0.10.0"
                mount_device := true { input.target != "" }
                """.getBytes(StandardCharsets.UTF_8));
        given().contentType(ContentType.JSON).body(envGroup(custom, "")).put(url("custom")).then()
                .statusCode(400)
                .body("error.code", equalTo("InvalidCcePolicy"))
                .body("error.target", equalTo("properties.confidentialComputeProperties.ccePolicy"))
                .body("error.message", containsString("line 3"));
    }
}
