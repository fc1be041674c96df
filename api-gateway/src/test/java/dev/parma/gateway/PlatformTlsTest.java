package dev.parma.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The gateway reaches the deployment service over mutual TLS as api-gateway: the stand-in service presents
 * deployment-service's certificate, requires a client certificate from the platform CA and answers only
 * api-gateway, so every relayed answer in these tests went through that handshake.
 */
@QuarkusTest
@GatewayTestDatabase
@TestProfile(FakeBackend.Profile.class)
class PlatformTlsTest {

    @Test
    void theDeploymentServiceIsCalledOverMutualTlsAsApiGateway() {
        FakeBackend.callers.clear();
        given().header("Authorization", Tokens.owner()).get("/subscriptions/s1/resourceGroups/rg/providers"
                + "/Microsoft.ContainerInstance/containerGroups/nothing?api-version=2025-09-01").then().statusCode(404)
                .body("error.code", org.hamcrest.Matchers.equalTo("ResourceNotFound"));
        assertThat(FakeBackend.callers).containsExactly("api-gateway");
        assertThat(ConfigProvider.getConfig().getValue("quarkus.rest-client.deployment.url", String.class))
                .startsWith("https://");
    }
}
