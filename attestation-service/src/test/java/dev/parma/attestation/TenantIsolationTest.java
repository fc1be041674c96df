package dev.parma.attestation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.RSAKey;
import dev.parma.attestation.release.ReleaseKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, as the attacker tried it: an ordinary tenant account, its own attestation policy and route, and a victim
 * tenant whose key asks for the platform's compliance claim and the victim's HOST_DATA. Each tenant test uses fresh
 * tenant names, so no test depends on another's policies or keys.
 */
@QuarkusTest
@AttestationTestResources
class TenantIsolationTest {
    static final String PROVIDER = "http://127.0.0.1:8082";
    /** The victim's confidential group policy: the attacker runs the same one, so HOST_DATA matches. */
    static final byte[] VICTIM_POLICY = "package policy\napi_version := \"0.10.0\"\n# victim\n".getBytes(
            StandardCharsets.UTF_8);
    /** Every claim a tenant policy must not be able to mint, with what it tries to mint. */
    static final Map<String, String> RESERVED = Map.of("x-ms-compliance-status", "\"azure-compliant-uvm\"",
            "x-ms-sevsnpvm-is-debuggable", "false", "x-parma-sevsnpvm-simulated", "false", "X-MS-Compliance-Status",
            "\"azure-compliant-uvm\"", "iss", "\"" + PROVIDER + "\"", "exp", "99999999999", "nonce", "\"forged\"",
            "aud", "\"someone\"", "cnf", "\"k\"");

    static byte[] runtime;

    @Inject
    DataSource db;
    @Inject
    ReleaseKeys releaseKeys;

    @BeforeAll
    static void guestWrappingKey() throws Exception {
        var g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        var jwk = new RSAKey.Builder((RSAPublicKey) g.generateKeyPair().getPublic()).keyID("guest").build()
                .toJSONObject();
        jwk.put("key_ops", List.of("encrypt"));
        runtime = Requests.JSON.writeValueAsBytes(Map.of("keys", List.of(jwk)));
    }

    static String fresh(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String hostData() {
        return HexFormat.of().formatHex(Requests.sha256(VICTIM_POLICY));
    }

    /** The victim's key: released to tokens of {@code authority} for a compliant UVM running the victim's policy. */
    static void victimKey(String victim, String key, String authority) {
        given().auth().oauth2(TestIssuer.token(victim, "tenant-owner")).contentType(ContentType.JSON)
                .body(releasePolicy(authority)).put("/tenants/" + victim + "/keys/" + key).then().statusCode(200);
    }

    static String releasePolicy(String authority) {
        return "{\"release_policy\": {\"version\": \"1.0.0\", \"anyOf\": [{\"authority\": \"" + authority + "\","
                + " \"allOf\": [{\"claim\": \"x-ms-attestation-type\", \"equals\": \"sevsnpvm\"},"
                + " {\"claim\": \"x-ms-compliance-status\", \"equals\": \"azure-compliant-uvm\"},"
                + " {\"claim\": \"x-ms-sevsnpvm-hostdata\", \"equals\": \"" + hostData() + "\"}]}]}}";
    }

    /** The attacker's best try at a policy that makes its unendorsed guest look compliant. */
    static String mintingPolicy() {
        StringBuilder rules = new StringBuilder();
        RESERVED.forEach((claim, value) -> rules.append("    => issue(type=\"").append(claim).append("\", value=")
                .append(value).append(");\n"));
        return "version= 1.0;\nauthorizationrules {\n    => permit();\n};\nissuancerules {\n" + rules + "};\n";
    }

    static int putPolicy(String tenant, String text) {
        return given().auth().oauth2(TestIssuer.token(tenant, "tenant-owner")).queryParam("api-version",
                "2022-08-01").body(text).put("/tenants/" + tenant + "/policies/SevSnpVm").then().extract()
                .statusCode();
    }

    static String tenantToken(String tenant, ObjectNode body) {
        return Tokens.attest("/tenants/" + tenant + "/attest/SevSnpVm", "2022-08-01", body.toString()).statusCode(200)
                .extract().path("token");
    }

    static void endorse(byte[] measurement) {
        given().auth().oauth2(TestIssuer.sre()).contentType(ContentType.JSON).body("{\"launchMeasurement\":\""
                + HexFormat.of().formatHex(measurement) + "\",\"svn\":3}").post("/referenceValues/uvm").then()
                .statusCode(200);
    }

    static JsonNode release(String tenant, String key, String token) {
        String body = given().contentType(ContentType.JSON).body("{\"target\": \"" + token + "\"}").post("/tenants/"
                + tenant + "/keys/" + key + "/release").then().extract().asString();
        try {
            return Requests.JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aTenantPolicyCannotIssueReservedClaims() {
        String attacker = fresh("attacker");
        given().auth().oauth2(TestIssuer.token(attacker, "tenant-owner")).queryParam("api-version", "2022-08-01")
                .body(mintingPolicy()).put("/tenants/" + attacker + "/policies/SevSnpVm").then().statusCode(400)
                .body("error.code", equalTo("InvalidAttestationPolicy"))
                .body("error.message", containsString("is reserved"))
                .body("error.message", containsString("line 6, column"));
        for (var claim : RESERVED.entrySet()) {
            String one = "version=1.0; authorizationrules { => permit(); }; issuancerules { => issue(type=\""
                    + claim.getKey() + "\", value=" + claim.getValue() + "); };";
            assertThat(putPolicy(attacker, one)).as(claim.getKey()).isEqualTo(400);
        }
        // the same through a draft policy: refused, no unsigned token with the claim either
        ObjectNode draft = Requests.sim(runtime, VICTIM_POLICY).body();
        draft.put("draftPolicyForAttestation", mintingPolicy());
        Tokens.attest(draft).statusCode(400).body("error.code", equalTo("InvalidAttestationPolicy"));
        // claims under our own names are still the tenant's to issue
        assertThat(putPolicy(attacker, "version=1.0; authorizationrules { => permit(); }; issuancerules {"
                + " c:[type==\"x-ms-sevsnpvm-hostdata\"] => issue(type=\"policy-digest\", value=c.value); };"))
                .isEqualTo(200);
    }

    @Test
    void aPolicyStoredBeforeTheRuleStillNeverMintsAReservedClaim() throws Exception {
        String legacy = fresh("legacy");
        try (var c = db.getConnection();
                var insert = c.prepareStatement("INSERT INTO attestation_policies (tenant, attestation_type,"
                        + " version, policy_text, policy_hash, created_at) VALUES (?, 'SevSnpVm', 1, ?, 'h', ?)")) {
            insert.setString(1, legacy);
            insert.setString(2, mintingPolicy());
            insert.setTimestamp(3, Timestamp.from(Instant.now()));
            insert.executeUpdate();
        }
        ObjectNode body = Requests.sim(runtime, VICTIM_POLICY).body();
        JsonNode claims = Tokens.payload(tenantToken(legacy, body));
        assertThat(claims.has("x-ms-compliance-status")).as("an unendorsed guest is not compliant").isFalse();
        assertThat(claims.has("X-MS-Compliance-Status")).isFalse();
        assertThat(claims.get("x-parma-sevsnpvm-simulated").asBoolean()).isTrue();
        assertThat(claims.get("x-ms-sevsnpvm-is-debuggable").asBoolean()).isFalse();
        assertThat(claims.get("nonce").asText()).isEqualTo("sim-nonce-1");
        assertThat(claims.has("aud")).isFalse();
        assertThat(claims.has("cnf")).isFalse();
        assertThat(claims.get("iss").asText()).isEqualTo(PROVIDER + "/tenants/" + legacy);
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(8 * 3600);
    }

    @Test
    void theAttackAsReportedNoLongerReleasesTheVictimsKey() {
        String victim = fresh("victim");
        String attacker = fresh("attacker");
        victimKey(victim, "db-key", PROVIDER);
        putPolicy(attacker, mintingPolicy()); // refused now; the attack goes on regardless
        var guest = Requests.sim(runtime, VICTIM_POLICY); // the victim's ccePolicy on an unendorsed UVM
        String token = tenantToken(attacker, guest.body());

        JsonNode answer = release(victim, "db-key", token);
        assertThat(answer.has("value")).as("the key is not released: %s", answer).isFalse();
        assertThat(answer.at("/error/code").asText()).isEqualTo("ReleasePolicyNotSatisfied");
    }

    @Test
    void aTenantRouteTokenNeverSatisfiesAKeyThatTrustsTheProvider() {
        String victim = fresh("victim");
        String attacker = fresh("attacker");
        victimKey(victim, "db-key", PROVIDER);
        var guest = Requests.sim(runtime, VICTIM_POLICY);
        endorse(guest.measurement()); // even a truly compliant guest, attested under a tenant's policy
        String tenantRoute = tenantToken(attacker, guest.body());
        assertThat(Tokens.payload(tenantRoute).get("x-ms-compliance-status").asText()).isEqualTo(
                "azure-compliant-uvm");
        assertThat(Tokens.payload(tenantRoute).get("iss").asText()).isEqualTo(PROVIDER + "/tenants/" + attacker);

        JsonNode refused = release(victim, "db-key", tenantRoute);
        assertThat(refused.has("value")).isFalse();
        assertThat(refused.at("/error/code").asText()).isEqualTo("ReleasePolicyNotSatisfied");
        // the victim's own tenant route is another authority too
        assertThat(release(victim, "db-key", tenantToken(victim, guest.body())).has("value")).isFalse();
        // the provider's token for the same guest is what the key trusts
        assertThat(release(victim, "db-key", Tokens.token(guest.body())).has("value")).isTrue();
    }

    @Test
    void anotherTenantsTokenNeverReleasesAKeyThatTrustsItsOwnTenantsInstance() {
        String victim = fresh("victim");
        String attacker = fresh("attacker");
        victimKey(victim, "own", PROVIDER + "/tenants/" + victim);
        var guest = Requests.sim(runtime, VICTIM_POLICY);
        endorse(guest.measurement());

        assertThat(release(victim, "own", tenantToken(attacker, guest.body())).at("/error/code").asText())
                .isEqualTo("ReleasePolicyNotSatisfied");
        assertThat(release(victim, "own", Tokens.token(guest.body())).has("value")).as("the provider's").isFalse();
        assertThat(release(victim, "own", tenantToken(victim, guest.body())).has("value")).as("its own").isTrue();
    }

    @Test
    void aKeyNamesOnlyAuthoritiesItsTenantMayTrust() {
        String victim = fresh("victim");
        String owner = TestIssuer.token(victim, "tenant-owner");
        for (String bad : List.of(PROVIDER + "/tenants/someone-else", "https://sharedeus.eus.attest.azure.net",
                PROVIDER + "/tenants/" + victim + "/x", "")) {
            given().auth().oauth2(owner).contentType(ContentType.JSON).body(releasePolicy(bad)).put("/tenants/"
                    + victim + "/keys/k").then().statusCode(400).body("error.code", equalTo("InvalidReleasePolicy"))
                    .body("error.target", equalTo("release_policy")).body("error.message", containsString(
                            "release_policy.anyOf[0].authority"));
        }
        // AKV's grammar: every anyOf entry names its authority
        given().auth().oauth2(owner).contentType(ContentType.JSON).body("{\"release_policy\": {\"anyOf\": [{\"allOf\":"
                + " [{\"claim\": \"x-ms-attestation-type\", \"equals\": \"sevsnpvm\"}]}]}}").put("/tenants/" + victim
                        + "/keys/k")
                .then().statusCode(400).body("error.message", containsString("no authority"));
        given().auth().oauth2(owner).contentType(ContentType.JSON).body(releasePolicy(PROVIDER + "/")).put(
                "/tenants/" + victim + "/keys/k").then().statusCode(200);
    }

    @Test
    void aKeyStoredWithoutAuthorityTrustsOnlyTheProvider() {
        String victim = fresh("victim");
        String attacker = fresh("attacker");
        String policy = "{\"version\":\"1.0.0\",\"anyOf\":[{\"allOf\":[{\"claim\":\"x-ms-compliance-status\","
                + "\"equals\":\"azure-compliant-uvm\"},{\"claim\":\"x-ms-sevsnpvm-hostdata\",\"equals\":\"" + hostData()
                + "\"}]}]}";
        releaseKeys.create(victim, "legacy", policy); // as stored before authorities were required
        var guest = Requests.sim(runtime, VICTIM_POLICY);
        endorse(guest.measurement());

        assertThat(release(victim, "legacy", tenantToken(attacker, guest.body())).at("/error/code").asText())
                .isEqualTo("ReleasePolicyNotSatisfied");
        assertThat(release(victim, "legacy", tenantToken(victim, guest.body())).has("value")).isFalse();
        assertThat(release(victim, "legacy", Tokens.token(guest.body())).has("value")).isTrue();
    }

    @Test
    void eachTenantInstanceServesItsOwnOidcMetadata() {
        String t = fresh("tenant");
        given().get("/tenants/" + t + "/.well-known/openid-configuration").then().statusCode(200)
                .body("issuer", equalTo(PROVIDER + "/tenants/" + t))
                .body("jwks_uri", equalTo(PROVIDER + "/tenants/" + t + "/certs"));
        String token = tenantToken(t, Requests.sim(runtime, VICTIM_POLICY).body());
        assertThat(Tokens.header(token).get("jku").asText()).isEqualTo(PROVIDER + "/tenants/" + t + "/certs");
        String kid = Tokens.header(token).get("kid").asText();
        given().get("/tenants/" + t + "/certs").then().statusCode(200).body("keys.kid", org.hamcrest.Matchers.hasItem(
                kid));
        given().get("/tenants/NOT_A_TENANT/.well-known/openid-configuration").then().statusCode(400);
    }
}
