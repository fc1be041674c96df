package dev.parma.attestation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Management endpoints need bearer tokens from the configured issuer: no or bad token → 401, another tenant's
 * policies and keys → 404 (as if they did not exist), a role that does not allow the action → 403; MAA's data plane
 * (attest, OIDC metadata, key release with an attestation token) stays open.
 */
@QuarkusTest
@AttestationTestResources
class AuthTest {
    static final String V = "2022-08-01";
    static final String KEY_POLICY = "{\"release_policy\": {\"version\": \"1.0.0\", \"anyOf\": [{\"authority\":"
            + " \"http://127.0.0.1:8082\", \"allOf\": [{\"claim\": \"x-ms-attestation-type\", \"equals\":"
            + " \"sevsnpvm\"}]}]}}";

    static RequestSpecification as(String token) {
        return given().auth().oauth2(token);
    }

    @Test
    void withoutAToken() {
        given().queryParam("api-version", V).get("/tenants/acme/policies/SevSnpVm").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer")).body("error.code", equalTo(
                        "AuthenticationFailed"));
        given().queryParam("api-version", V).get("/policies/SevSnpVm").then().statusCode(401);
        given().get("/referenceValues/uvm").then().statusCode(401);
        given().post("/admin/signing-keys/rotate").then().statusCode(401).body("error.code", equalTo(
                "AuthenticationFailed"));
        given().get("/admin/attestation-failures").then().statusCode(401);
        given().contentType(ContentType.JSON).body(KEY_POLICY).put("/tenants/acme/keys/k").then().statusCode(401);
        given().get("/tenants/acme/keys/k").then().statusCode(401);
    }

    @Test
    void withABadToken() {
        for (String bad : new String[]{TestIssuer.expired("acme", "tenant-owner"), TestIssuer.fromIssuer(
                "https://evil.example/", "acme", "tenant-owner"), TestIssuer.foreignKey("acme", "tenant-owner"),
                TestIssuer.hs256WithPublicKey("acme", "tenant-owner"), TestIssuer.algNone("acme", "tenant-owner"),
                "not-a-jwt"}) {
            as(bad).queryParam("api-version", V).get("/tenants/acme/policies/SevSnpVm").then().statusCode(401)
                    .body("error.code", equalTo("InvalidAuthenticationToken"));
        }
        given().header("Authorization", "Basic YWxhZGRpbjpvcGVuc2VzYW1l").get("/referenceValues/uvm").then()
                .statusCode(401).body("error.code", equalTo("InvalidAuthenticationToken"));
    }

    @Test
    void aTenantSeesAndChangesOnlyItsOwnPoliciesAndKeys() {
        String acmeOwner = TestIssuer.token("acme", "tenant-owner");
        as(acmeOwner).queryParam("api-version", V).body("version=1.0;authorizationrules{=> permit();};").put(
                "/tenants/acme/policies/SevSnpVm").then().statusCode(200);
        as(acmeOwner).contentType(ContentType.JSON).body(KEY_POLICY).put("/tenants/acme/keys/k").then().statusCode(
                200);
        String globexOwner = TestIssuer.token("globex", "tenant-owner", "sre");
        // another tenant's resources do not exist for this caller, whatever its roles
        as(globexOwner).queryParam("api-version", V).get("/tenants/acme/policies/SevSnpVm").then().statusCode(404)
                .body("error.code", equalTo("ResourceNotFound"));
        as(globexOwner).queryParam("api-version", V).get("/tenants/acme/policies/SevSnpVm/versions").then()
                .statusCode(404);
        as(globexOwner).queryParam("api-version", V).body("version=1.0;authorizationrules{=> deny();};").put(
                "/tenants/acme/policies/SevSnpVm").then().statusCode(404);
        as(globexOwner).get("/tenants/acme/keys/k").then().statusCode(404).body("error.message", equalTo(
                "The tenant 'acme' could not be found."));
        as(globexOwner).get("/tenants/acme/keys/no-such-key").then().statusCode(404).body("error.message", equalTo(
                "The tenant 'acme' could not be found."));
        as(globexOwner).contentType(ContentType.JSON).body(KEY_POLICY).put("/tenants/acme/keys/k").then().statusCode(
                404);
        // acme's policy is still the one acme wrote
        as(acmeOwner).queryParam("api-version", V).get("/tenants/acme/policies/SevSnpVm").then().statusCode(200)
                .body("policy", containsString("permit()"));
    }

    @Test
    void aReaderReadsButDoesNotWrite() {
        String owner = TestIssuer.token("initech", "tenant-owner");
        String reader = TestIssuer.token("initech", "tenant-reader");
        String billing = TestIssuer.token("initech", "billing-reader");
        as(owner).contentType(ContentType.JSON).body(KEY_POLICY).put("/tenants/initech/keys/k").then().statusCode(200);
        as(reader).get("/tenants/initech/keys/k").then().statusCode(200);
        as(reader).queryParam("api-version", V).get("/tenants/initech/policies/SevSnpVm").then().statusCode(200);
        as(reader).contentType(ContentType.JSON).body(KEY_POLICY).put("/tenants/initech/keys/k").then().statusCode(403)
                .body("error.code", equalTo("AuthorizationFailed")).body("error.message", containsString(
                        "Parma.Attestation/tenants/keys/write"));
        as(reader).queryParam("api-version", V).body("version=1.0;authorizationrules{=> permit();};").put(
                "/tenants/initech/policies/SevSnpVm").then().statusCode(403);
        as(billing).get("/tenants/initech/keys/k").then().statusCode(403);
    }

    @Test
    void providerPolicyReferenceValuesAndAdminNeedTheSreRole() {
        String owner = TestIssuer.token("acme", "tenant-owner");
        as(owner).queryParam("api-version", V).get("/policies/SevSnpVm").then().statusCode(403).body("error.message",
                containsString("Parma.Attestation/policies/read"));
        as(owner).queryParam("api-version", V).body("version=1.0;authorizationrules{=> permit();};").put(
                "/policies/SevSnpVm").then().statusCode(403);
        as(owner).get("/referenceValues/uvm").then().statusCode(403);
        as(owner).contentType(ContentType.JSON).body("{\"launchMeasurement\": \"" + "ab".repeat(48)
                + "\", \"svn\": 1}").post("/referenceValues/uvm").then().statusCode(403);
        as(owner).post("/admin/signing-keys/rotate").then().statusCode(403);
        as(owner).get("/admin/attestation-failures").then().statusCode(403);

        String sre = TestIssuer.sre();
        as(sre).queryParam("api-version", V).get("/policies/SevSnpVm").then().statusCode(200);
        as(sre).get("/referenceValues/uvm").then().statusCode(200);
        as(sre).get("/admin/attestation-failures").then().statusCode(200);
    }

    @Test
    void maasDataPlaneStaysOpen() {
        var sim = Requests.sim("{\"keys\":[]}".getBytes(StandardCharsets.UTF_8), "p".getBytes(
                StandardCharsets.UTF_8));
        Tokens.attest(sim.body()).statusCode(200);
        // a foreign Authorization header does not matter where none is needed
        given().auth().oauth2("whatever").contentType(ContentType.JSON).body(sim.body().toString()).queryParam(
                "api-version", V).post("/attest/SevSnpVm").then().statusCode(200);
        given().get("/.well-known/openid-configuration").then().statusCode(200);
        given().get("/certs").then().statusCode(200);
        // release: the attestation token in the body is the credential (its own checks answer, not the bearer's)
        as(TestIssuer.token("umbrella", "tenant-owner")).contentType(ContentType.JSON).body(KEY_POLICY).put(
                "/tenants/umbrella/keys/k").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"target\": \"x.y.z\"}").post(
                "/tenants/umbrella/keys/k/release").then().statusCode(401).body("error.code", equalTo(
                        "InvalidAttestationToken"));
    }
}
