package dev.parma.attestation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Attestation policies: stored per tenant and versioned, enforced, hashed as MAA hashes them. */
@QuarkusTest
@AttestationTestResources
class PolicyTest {
    static final byte[] RUNTIME = Requests.runtimeJson("{\"keys\":[]}");
    static final byte[] INIT = "package policy".getBytes(StandardCharsets.UTF_8);

    static String maaHash(String text) throws Exception {
        var url = Base64.getUrlEncoder().withoutPadding();
        String inner = url.encodeToString(text.getBytes(StandardCharsets.UTF_8));
        return url.encodeToString(MessageDigest.getInstance("SHA-256").digest(inner.getBytes(StandardCharsets.UTF_8)));
    }

    static void put(String tenant, String body) {
        given().auth().oauth2(TestIssuer.token(tenant, "tenant-owner")).queryParam("api-version", "2022-08-01")
                .body(body).put("/tenants/" + tenant + "/policies/SevSnpVm")
                .then().statusCode(200);
    }

    static String attestAs(String tenant, ObjectNode body, int status) {
        return Tokens.attest("/tenants/" + tenant + "/attest/SevSnpVm", "2022-08-01", body.toString()).statusCode(
                status).extract().asString();
    }

    @Test
    void tenantPolicyIsVersionedAndHashedAsMaaDoes() throws Exception {
        String v1 = "version= 1.0;\nauthorizationrules {\n    => permit();\n};\n";
        String v2 = "version= 1.0;\nauthorizationrules {\n    [type==\"x-ms-sevsnpvm-vmpl\", value==0] => permit();\n};\n";
        put("woodgrove", v1);
        put("woodgrove", v2);
        given().auth().oauth2(TestIssuer.token("woodgrove", "tenant-owner")).queryParam("api-version", "2022-08-01")
                .get("/tenants/woodgrove/policies/SevSnpVm").then().statusCode(
                        200)
                .body("version", equalTo(2)).body("policy", equalTo(v2)).body("x-ms-policy-hash", equalTo(maaHash(
                        v2)));
        given().auth().oauth2(TestIssuer.token("woodgrove", "tenant-owner")).queryParam("api-version", "2022-08-01")
                .get("/tenants/woodgrove/policies/SevSnpVm/versions").then()
                .body("value.size()", equalTo(2)).body("value[0].policy", equalTo(v1));

        JsonNode claims = Tokens.payload(new com.fasterxml.jackson.databind.ObjectMapper().readTree(attestAs(
                "woodgrove", Requests.sim(RUNTIME, INIT).body(), 200)).get("token").asText());
        assertThat(claims.get("x-ms-policy-hash").asText()).isEqualTo(maaHash(v2));
    }

    @Test
    void maaUploadFormIsAccepted() throws Exception {
        String text = "version=1.0; authorizationrules { => permit(); };";
        var url = Base64.getUrlEncoder().withoutPadding();
        String jwt = url.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + url
                .encodeToString(("{\"AttestationPolicy\":\"" + url.encodeToString(text.getBytes(
                        StandardCharsets.UTF_8)) + "\"}").getBytes(StandardCharsets.UTF_8))
                + ".";
        put("northwind", jwt);
        given().auth().oauth2(TestIssuer.token("northwind", "tenant-owner")).queryParam("api-version", "2022-08-01")
                .get("/tenants/northwind/policies/SevSnpVm").then().body(
                        "policy", equalTo(text));
    }

    @Test
    void denyingPolicyRefusesAndIssuanceRulesAddClaims() throws Exception {
        put("tailspin", """
                version= 1.0;
                authorizationrules {
                    [type=="x-ms-sevsnpvm-guestsvn", value>=100] => permit();
                };
                """);
        attestAs("tailspin", Requests.sim(RUNTIME, INIT).body(), 403);

        put("tailspin",
                """
                        version= 1.0;
                        authorizationrules {
                            [type=="x-ms-sevsnpvm-smt-allowed", value==false] => deny();
                            [type=="x-ms-sevsnpvm-is-debuggable", value==false] && [type=="x-ms-sevsnpvm-vmpl", value<=1] => permit();
                        };
                        issuancerules {
                            c:[type=="x-ms-sevsnpvm-hostdata"] => issue(type="policy-digest", value=c.value);
                            => issue(type="tier", value="gold");
                        };
                        """);
        String token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(attestAs("tailspin", Requests.sim(
                RUNTIME, INIT).body(), 200)).get("token").asText();
        JsonNode claims = Tokens.payload(token);
        assertThat(claims.get("policy-digest").asText()).isEqualTo(claims.get("x-ms-sevsnpvm-hostdata").asText());
        assertThat(claims.get("tier").asText()).isEqualTo("gold");
    }

    @Test
    void tenantsDoNotShareEachOthersPolicies() {
        put("adatum", "version=1.0; authorizationrules { => deny(); };");
        attestAs("adatum", Requests.sim(RUNTIME, INIT).body(), 403);
        attestAs("litware", Requests.sim(RUNTIME, INIT).body(), 200);
        Tokens.attest(Requests.sim(RUNTIME, INIT).body()).statusCode(200);
    }

    @Test
    void policyErrorsNameLineAndColumn() {
        given().auth().oauth2(TestIssuer.token("fourthcoffee", "tenant-owner")).queryParam("api-version", "2022-08-01")
                .body("version=1.0;\nauthorizationrules {\n  [type=\"x\"] =>"
                        + " permit();\n};")
                .put("/tenants/fourthcoffee/policies/SevSnpVm").then().statusCode(400).body(
                        "error.code", equalTo("InvalidAttestationPolicy"))
                .body("error.message", containsString(
                        "line 3, column"));
    }

    @Test
    void draftPolicyGivesAnUnsignedTokenWithItsHash() throws Exception {
        String draft = "version=1.0; authorizationrules { => permit(); };";
        ObjectNode body = Requests.sim(RUNTIME, INIT).body();
        body.put("draftPolicyForAttestation", draft);
        String token = Tokens.token(body);
        assertThat(token).endsWith(".");
        assertThat(Tokens.header(token).get("alg").asText()).isEqualTo("none");
        assertThat(Tokens.payload(token).get("x-ms-policy-hash").asText()).isEqualTo(maaHash(draft));
    }
}
