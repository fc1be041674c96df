package dev.parma.attestation;

import static dev.parma.attestation.Tokens.attest;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Refused attestations are kept for operators (the SRE page): code, status, tenant and caller, newest first; never
 * the body that was sent. Issued tokens are not listed.
 */
@QuarkusTest
@AttestationTestResources
class FailuresTest {

    static List<Map<String, Object>> recent() {
        return given().auth().oauth2(TestIssuer.sre()).get("/admin/attestation-failures?top=200").then().statusCode(200)
                .extract().jsonPath()
                .getList("value");
    }

    @Test
    void refusedAttestationsAreListedWithCodeTenantAndCallerButNotTheirBody() throws Exception {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String marker = "secret-" + UUID.randomUUID();
        attest("/tenants/" + tenant + "/attest/SevSnpVm", "2022-08-01", "{\"report\":\"" + marker + "\"}")
                .statusCode(400);
        attest("/attest/SevSnpVm", "1999-01-01", "{}").statusCode(400);
        var sim = Requests.sim(Requests.runtimeJson("{\"keys\":[]}"), "policy".getBytes(StandardCharsets.UTF_8));
        attest("/tenants/" + tenant + "/attest/SevSnpVm", "2022-08-01", sim.body().toString()).statusCode(200);

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> recent().stream().anyMatch(f -> tenant.equals(f.get("tenant"))));
        var failures = recent();
        var ours = failures.stream().filter(f -> tenant.equals(f.get("tenant"))).toList();
        assertThat(ours).singleElement().satisfies(f -> {
            assertThat(f).containsEntry("code", "InvalidRequestContent").containsEntry("status", 400)
                    .containsEntry("caller", "127.0.0.1");
            assertThat(f.get("time")).isNotNull();
        });
        assertThat(failures).anySatisfy(f -> {
            assertThat(f).containsEntry("code", dev.parma.attestation.api.AttestationErrors.INVALID_API_VERSION);
            assertThat(f.get("tenant")).as("the provider instance").isNull();
        });
        String raw = given().auth().oauth2(TestIssuer.sre()).get("/admin/attestation-failures?top=200").asString();
        assertThat(raw).doesNotContain(marker);
    }

    @Test
    void anOutOfRangeCountIsACloudError() {
        given().auth().oauth2(TestIssuer.sre()).get("/admin/attestation-failures?top=0").then().statusCode(400)
                .body("error.target", equalTo("top"));
    }
}
