package dev.parma.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Containers_ExecuteCommand at the front door: api-version, the body's rules, the relay of the session answer. */
@QuarkusTest
@GatewayTestDatabase
@TestProfile(FakeBackend.Profile.class)
class ExecApiTest {

    static final String EXEC = "/subscriptions/sub-a/resourceGroups/rg/providers/Microsoft.ContainerInstance"
            + "/containerGroups/g/containers/app/exec";

    static io.restassured.specification.RequestSpecification owner() {
        return given().header("Authorization", Tokens.bearer("tenant-a", "tenant-owner"))
                .contentType(ContentType.JSON);
    }

    @Test
    void theSessionAnswerIsRelayedAndTheBodyReachesTheDeploymentServiceAsSent() {
        String body = "{\"command\":\"/bin/sh -c ls\",\"terminalSize\":{\"rows\":24,\"cols\":80}}";
        owner().body(body).post(EXEC + "?api-version=2025-09-01").then().statusCode(200)
                .body("webSocketUri", equalTo("ws://node-1:8091/exec/s1")).body("password", equalTo("pw"));
        assertThat(FakeBackend.lastExecBody).isEqualTo(body);
    }

    @Test
    void badBodiesAndAMissingApiVersionAre400sNamingTheField() {
        FakeBackend.lastExecBody = null;
        String[][] cases = {{"", "InvalidRequestContent", null}, {"[1]", "InvalidRequestContent", null},
                {"{}", "MissingRequiredProperty", "command"}, {"{\"command\":\"\"}", "InvalidPropertyValue", "command"},
                {"{\"command\":[\"sh\"]}", "InvalidPropertyValue", "command"},
                {"{\"command\":\"" + "a".repeat(4097) + "\"}", "InvalidPropertyValue", "command"},
                {"{\"command\":\"sh\",\"terminalSize\":7}", "InvalidPropertyValue", "terminalSize"},
                {"{\"command\":\"sh\",\"terminalSize\":{\"rows\":0,\"cols\":80}}", "InvalidPropertyValue",
                        "terminalSize.rows"},
                {"{\"command\":\"sh\",\"terminalSize\":{\"rows\":24,\"cols\":1001}}", "InvalidPropertyValue",
                        "terminalSize.cols"},
                {"{\"command\":\"sh\",\"terminalSize\":{\"rows\":2.5}}", "InvalidPropertyValue", "terminalSize.rows"}};
        for (String[] c : cases) {
            owner().body(c[0]).post(EXEC + "?api-version=2025-09-01").then().statusCode(400)
                    .body("error.code", equalTo(c[1])).body("error.target", equalTo(c[2]));
        }
        owner().body("{\"command\":\"" + "a".repeat(4096) + "\"}").post(EXEC + "?api-version=2025-09-01").then()
                .statusCode(200);
        owner().body("{\"command\":\"sh\"}").post(EXEC).then().statusCode(400)
                .body("error.code", equalTo("MissingApiVersionParameter"));
        assertThat(FakeBackend.lastExecBody).isEqualTo("{\"command\":\"" + "a".repeat(4096) + "\"}");
    }
}
