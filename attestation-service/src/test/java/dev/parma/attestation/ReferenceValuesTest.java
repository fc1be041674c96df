package dev.parma.attestation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Endorsed UVM measurements set x-ms-compliance-status; the fleet's is registered at start-up. */
@QuarkusTest
@AttestationTestResources
class ReferenceValuesTest {
    static final byte[] RUNTIME = Requests.runtimeJson("{}");
    static final byte[] INIT = "p".getBytes(StandardCharsets.UTF_8);

    @Test
    void fleetMeasurementIsRegisteredAtStartUp() {
        given().auth().oauth2(TestIssuer.sre()).get("/referenceValues/uvm").then().statusCode(200)
                .body("value.launchMeasurement", hasItem(
                        "5eed0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000f1ee"))
                .body("value.find { it.source == 'fleet' }.svn", equalTo(1));
    }

    @Test
    void endorsedMeasurementMakesTheGuestCompliant() {
        var sim = Requests.sim(RUNTIME, INIT);
        assertThat(Tokens.payload(Tokens.token(sim.body())).has("x-ms-compliance-status")).isFalse();
        given().auth().oauth2(TestIssuer.sre()).contentType(ContentType.JSON)
                .body("{\"launchMeasurement\":\"" + HexFormat.of().formatHex(sim
                        .measurement()).toUpperCase() + "\",\"svn\":22}")
                .post("/referenceValues/uvm").then().statusCode(200)
                .body("svn", equalTo(22));
        assertThat(Tokens.payload(Tokens.token(sim.body())).get("x-ms-compliance-status").asText()).isEqualTo(
                "azure-compliant-uvm");
    }

    @Test
    void badReferenceValuesAreRefused() {
        given().auth().oauth2(TestIssuer.sre()).contentType(ContentType.JSON)
                .body("{\"launchMeasurement\":\"abc\",\"svn\":1}").post(
                        "/referenceValues/uvm")
                .then().statusCode(400).body("error.code", equalTo("InvalidRequestContent"));
        given().auth().oauth2(TestIssuer.sre()).contentType(ContentType.JSON).body("[]").post("/referenceValues/uvm")
                .then().statusCode(400);
    }
}
