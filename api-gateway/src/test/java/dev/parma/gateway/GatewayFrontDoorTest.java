package dev.parma.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the gateway decides by itself: api-versions, body limits, and CloudErrors when the backend is down. */
@QuarkusTest
@GatewayTestDatabase
class GatewayFrontDoorTest {

    static final String GROUP = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/g1";

    /** The management interface (loopback, its own port; paths relative to /q). */
    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;
    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    @Test
    void missingApiVersionIsRejected() {
        given().header("Authorization", Tokens.owner()).get(GROUP).then().statusCode(400)
                .body("error.code", equalTo("MissingApiVersionParameter"))
                .body("error.target", equalTo("api-version"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2019-12-01", "2025-09-01-preview", "latest"})
    void unknownApiVersionsAreRejectedNamingTheSupportedOnes(String version) {
        given().header("Authorization", Tokens.owner()).queryParam("api-version", version).contentType(ContentType.JSON)
                .body("{}").put(GROUP)
                .then().statusCode(400)
                .body("error.code", equalTo("InvalidApiVersionParameter"))
                .body("error.message", containsString("2025-09-01"))
                .body("error.message", containsString("2023-05-01"));
    }

    @Test
    void anUnreachableBackendIsARetryableCloudErrorNotAStackTrace() {
        given().header("Authorization", Tokens.owner()).queryParam("api-version", "2023-05-01").get(GROUP).then()
                .statusCode(503)
                .contentType(ContentType.JSON)
                .header("Retry-After", "5")
                .body("error.code", equalTo("ServiceUnavailable"));
    }

    @Test
    void unknownPathsAreCloudErrors() {
        given().header("Authorization", Tokens.owner()).get("/subscriptions/s1/nothing").then().statusCode(404)
                .contentType(ContentType.JSON)
                .body("error.code", equalTo("ResourceNotFound"));
    }

    @Test
    void oversizedBodiesAreRefusedBeforeTheyAreRead() throws Exception {
        // Only the headers are sent: the gateway must refuse on the declared length, without reading 5 MB.
        try (var socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.getOutputStream().write(("PUT " + GROUP + "?api-version=2025-09-01 HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: " + Tokens.owner() + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + (5 * 1024 * 1024) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            var status = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertThat(status).startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void servesHealthToAllAndMetricsAndOpenApiOnTheManagementInterface() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get(metrics).then().statusCode(200).body(containsString("http_server"));
        given().get(openapi).then().statusCode(200).body(containsString("containerGroups"))
                .body(containsString("Microsoft.Resources/deployments")).body(containsString("/logs"))
                .body(containsString("bearer"));
    }
}
