package dev.parma.attestation;

import static dev.parma.attestation.Tokens.attest;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** No malformed input ever produces a 500: each gets a 4xx CloudError with a stable code. */
@QuarkusTest
@AttestationTestResources
class MalformedInputTest {
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    static String envelope(String inner) {
        return "{\"report\":\"" + URL.encodeToString(inner.getBytes(StandardCharsets.UTF_8)) + "\"}";
    }

    static Stream<Arguments> bodies() {
        String report = URL.encodeToString(Requests.resource("maa-docs-milan-v1/report.bin"));
        return Stream.of(
                Arguments.of("", "InvalidRequestContent"),
                Arguments.of("not json", "InvalidRequestContent"),
                Arguments.of("[1,2]", "InvalidRequestContent"),
                Arguments.of("{}", "MissingRequiredProperty"),
                Arguments.of("{\"report\": 5}", "InvalidRequestContent"),
                Arguments.of("{\"report\": \"***\"}", "InvalidRequestContent"),
                Arguments.of("{\"report\": \"abc-+\"}", "InvalidRequestContent"),
                Arguments.of(envelope("not json"), "InvalidRequestContent"),
                Arguments.of(envelope("{}"), "MissingRequiredProperty"),
                Arguments.of(envelope("{\"SnpReport\": \"AAAA\"}"), "InvalidSnpReport"),
                Arguments.of(envelope("{\"SnpReport\": \"" + report + "\", \"VcekCertChain\": 7}"),
                        "InvalidRequestContent"),
                Arguments.of(envelope("{\"SnpReport\": \"" + report + "\"}").replace("}", ",\"nonce\": {}}"),
                        "InvalidRequestContent"),
                Arguments.of(envelope("{\"SnpReport\": \"" + report + "\"}").replace("}",
                        ",\"runtimeData\": {\"data\": \"e30\", \"dataType\": \"XML\"}}"), "InvalidRequestContent"),
                Arguments.of(envelope("{\"SnpReport\": \"" + report + "\"}").replace("}",
                        ",\"runtimeData\": \"x\"}"), "InvalidRequestContent"),
                Arguments.of(envelope("{\"SnpReport\": \"" + report + "\"}").replace("}",
                        ",\"draftPolicyForAttestation\": \"version=2.0;\"}"), "InvalidAttestationPolicy"));
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void malformedBodiesGetCloudErrors(String body, String code) {
        attest("/attest/SevSnpVm", "2022-08-01", body).statusCode(400).body("error.code", equalTo(code)).body(
                "error.message", notNullValue());
    }

    @Test
    void rejectionsAreCountedByReasonForTheDashboards() {
        attest("/attest/SevSnpVm", "2022-08-01", "{\"report\": 5}").statusCode(400);
        org.assertj.core.api.Assertions.assertThat(given().get("/q/metrics").asString())
                .containsPattern("parma_attestation_requests_total\\{outcome=\"rejected\",reason=\"\\w+\"\\} [1-9]")
                .contains("parma_attestation_duration_seconds_bucket");
    }

    @Test
    void randomBytesNeverGiveA500() {
        Random random = new Random(5); // seeded: the same inputs every run
        byte[] real = Requests.resource("maa-docs-milan-v1/report.bin");
        for (int i = 0; i < 40; i++) {
            byte[] report = real.clone();
            for (int j = 0; j < 1 + random.nextInt(8); j++) {
                report[random.nextInt(report.length)] = (byte) random.nextInt(256);
            }
            if (i % 5 == 0) {
                report = java.util.Arrays.copyOf(report, random.nextInt(report.length));
            }
            ObjectNode body = Requests.body(report, Requests.text("maa-docs-milan-v1/vcek_ask_ark.pem"));
            int status = attest(body).extract().statusCode();
            assertThat(status).as("mutation %d", i).isBetween(400, 499);
        }
    }

    @Test
    void oversizedBodiesAreRefusedBeforeTheyAreRead() {
        String big = "{\"report\":\"" + "A".repeat(300_000) + "\"}";
        attest("/attest/SevSnpVm", "2022-08-01", big).statusCode(413).body("error.code", equalTo(
                "RequestEntityTooLarge"));
    }

    @Test
    void unknownPathsAndMethodsAreCloudErrors() {
        given().get("/attest/SevSnpVm").then().statusCode(405).body("error.code", notNullValue());
        given().contentType(ContentType.JSON).body("{}").post("/attest/TdxVm").then().statusCode(404).body(
                "error.code", equalTo("ResourceNotFound"));
    }

    @Test
    void releaseAndPolicyEndpointsRefuseGarbage() {
        given().body("nope").post("/tenants/t1/keys/k1/release").then().statusCode(400).body("error.code", equalTo(
                "InvalidRequestContent"));
        given().auth().oauth2(TestIssuer.token("t1", "tenant-owner")).body("{\"release_policy\": {\"anyOf\": 3}}")
                .put("/tenants/t1/keys/k1").then().statusCode(400).body(
                        "error.code", equalTo("InvalidReleasePolicy"));
        given().auth().oauth2(TestIssuer.token("t1", "tenant-owner")).body("garbage")
                .queryParam("api-version", "2022-08-01").put("/tenants/t1/policies/SevSnpVm").then()
                .statusCode(400).body("error.code", equalTo("InvalidAttestationPolicy"));
        given().auth().oauth2(TestIssuer.token("BAD_TENANT", "tenant-owner")).body("{}")
                .put("/tenants/BAD_TENANT/keys/k1").then().statusCode(400).body("error.code", equalTo(
                        "InvalidRequestContent"));
    }
}
