package dev.parma.attestation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.RFC5649WrapEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Secure key release end to end with a simulated guest: the guest's wrapping key rides in runtimeData, the token
 * carries it in x-ms-runtime.keys, the key comes back RSA-OAEP-256 + RFC 5649 wrapped to it and only to it.
 */
@QuarkusTest
@AttestationTestResources
class KeyReleaseTest {
    static final String CONTOSO = TestIssuer.token("contoso", "tenant-owner");
    static final String FABRIKAM = TestIssuer.token("fabrikam", "tenant-owner");
    static final byte[] POLICY = "package policy\napi_version := \"0.10.0\"\n".getBytes(StandardCharsets.UTF_8);
    static KeyPair guestKey;
    static byte[] runtime;

    @BeforeAll
    static void guestWrappingKey() throws Exception {
        var g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        guestKey = g.generateKeyPair();
        // what the ACI sidecar attests: a JWK set with its RSA key, key_ops encrypt
        var jwk = new RSAKey.Builder((RSAPublicKey) guestKey.getPublic()).keyID("TpmEphemeralEncryptionKey").build()
                .toJSONObject();
        jwk.put("key_ops", java.util.List.of("encrypt"));
        runtime = Requests.JSON.writeValueAsBytes(java.util.Map.of("keys", java.util.List.of(jwk)));
    }

    /** A compliant simulated guest running POLICY: measurement registered as an endorsed UVM. */
    static String compliantToken() {
        var sim = Requests.sim(runtime, POLICY);
        given().auth().oauth2(TestIssuer.sre()).contentType(ContentType.JSON)
                .body("{\"launchMeasurement\":\"" + HexFormat.of().formatHex(sim
                        .measurement()) + "\",\"svn\":3}")
                .post("/referenceValues/uvm").then().statusCode(200);
        return Tokens.token(sim.body());
    }

    static String policyOnAStructuredClaim() {
        // satisfiable but for the last condition: an array claim never equals a scalar
        return "{\"release_policy\": {\"version\": \"1.0.0\", \"anyOf\": [{\"authority\": \"http://127.0.0.1:8082\","
                + " \"allOf\": [{\"claim\": \"x-ms-attestation-type\", \"equals\": \"sevsnpvm\"},"
                + " {\"claim\": \"x-ms-compliance-status\", \"equals\": \"azure-compliant-uvm\"},"
                + " {\"claim\": \"x-ms-sevsnpvm-is-debuggable\", \"equals\": \"false\"},"
                + " {\"claim\": \"x-ms-sevsnpvm-vmpl\", \"equals\": \"0\"},"
                + " {\"claim\": \"x-ms-runtime.keys\", \"equals\": \"never\"}]}]}}";
    }

    static String releasePolicy(String hostData) {
        return "{\"release_policy\": {\"version\": \"1.0.0\", \"anyOf\": [{\"authority\": \"http://127.0.0.1:8082\","
                + " \"allOf\": [{\"claim\": \"x-ms-attestation-type\", \"equals\": \"sevsnpvm\"},"
                + " {\"claim\": \"x-ms-compliance-status\", \"equals\": \"azure-compliant-uvm\"},"
                + " {\"claim\": \"x-ms-sevsnpvm-hostdata\", \"equals\": \"" + hostData + "\"},"
                + " {\"claim\": \"x-ms-sevsnpvm-is-debuggable\", \"equals\": \"false\"},"
                + " {\"claim\": \"x-ms-sevsnpvm-vmpl\", \"equals\": \"0\"},"
                + " {\"claim\": \"x-parma-sevsnpvm-simulated\", \"equals\": true}]}]}}";
    }

    static String hostData() {
        return HexFormat.of().formatHex(Requests.sha256(POLICY));
    }

    static JsonNode release(String tenant, String key, String token, int status) {
        String body = given().contentType(ContentType.JSON).body("{\"target\": \"" + token + "\"}").post("/tenants/"
                + tenant + "/keys/" + key + "/release").then().statusCode(status).extract().asString();
        try {
            return Requests.JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void releasesTheKeyWrappedToTheGuestsKeyOnly() throws Exception {
        given().auth().oauth2(CONTOSO).contentType(ContentType.JSON).body(releasePolicy(hostData()))
                .put("/tenants/contoso/keys/db-key")
                .then().statusCode(200).body("key.kty", equalTo("oct-HSM"));
        String token = compliantToken();
        assertThat(Tokens.payload(token).get("x-ms-compliance-status").asText()).isEqualTo("azure-compliant-uvm");

        JsonNode answer = release("contoso", "db-key", token, 200);
        JWSObject jws = JWSObject.parse(answer.get("value").asText());
        String jwks = given().get("/certs").then().extract().asString();
        var signer = JWKSet.parse(jwks).getKeyByKeyId(jws.getHeader().getKeyID()).toRSAKey();
        assertThat(jws.verify(new RSASSAVerifier(signer))).as("release response signed by a published key").isTrue();

        JsonNode payload = Requests.JSON.readTree(jws.getPayload().toString());
        assertThat(payload.at("/request/enc").asText()).isEqualTo("RSA_AES_KEY_WRAP_256");
        JsonNode keyHsm = Requests.JSON.readTree(Base64.getUrlDecoder().decode(payload.at("/response/key/key/key_hsm")
                .asText()));
        assertThat(keyHsm.at("/header/kid").asText()).isEqualTo("TpmEphemeralEncryptionKey");
        byte[] material = unwrap(Base64.getUrlDecoder().decode(keyHsm.get("ciphertext").asText()));
        assertThat(material).hasSize(32);

        // the same key again for a second token of the same guest policy
        JsonNode again = release("contoso", "db-key", compliantToken(), 200);
        JWSObject jws2 = JWSObject.parse(again.get("value").asText());
        JsonNode keyHsm2 = Requests.JSON.readTree(Base64.getUrlDecoder().decode(Requests.JSON.readTree(jws2
                .getPayload().toString()).at("/response/key/key/key_hsm").asText()));
        assertThat(unwrap(Base64.getUrlDecoder().decode(keyHsm2.get("ciphertext").asText()))).isEqualTo(material);
    }

    /** What the guest does: RSA-OAEP-256 for the AES key (modulus-size bytes), then RFC 5649 unwrap (BouncyCastle). */
    static byte[] unwrap(byte[] ciphertext) throws Exception {
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
        rsa.init(Cipher.DECRYPT_MODE, guestKey.getPrivate(), new OAEPParameterSpec("SHA-256", "MGF1",
                MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        byte[] aes = rsa.doFinal(Arrays.copyOf(ciphertext, 256));
        var kwp = new RFC5649WrapEngine(AESEngine.newInstance());
        kwp.init(false, new KeyParameter(aes));
        return kwp.unwrap(ciphertext, 256, ciphertext.length - 256);
    }

    @Test
    void releasePolicyMismatchIsForbiddenAndNamesTheClaim() {
        given().auth().oauth2(CONTOSO).contentType(ContentType.JSON).body(releasePolicy("00".repeat(32)))
                .put("/tenants/contoso/keys/other")
                .then().statusCode(200);
        JsonNode error = release("contoso", "other", compliantToken(), 403);
        assertThat(error.at("/error/code").asText()).isEqualTo("ReleasePolicyNotSatisfied");
        assertThat(error.at("/error/message").asText()).contains("x-ms-sevsnpvm-hostdata");
        assertThat(given().get("/q/metrics").asString())
                .containsPattern("parma_attestation_key_releases_total\\{outcome=\"denied\"[^}]*} [1-9]");
    }

    @Test
    void structuredClaimsNeverEqualAScalar() {
        given().auth().oauth2(CONTOSO).contentType(ContentType.JSON).body(policyOnAStructuredClaim())
                .put("/tenants/contoso/keys/struct")
                .then()
                .statusCode(200);
        assertThat(release("contoso", "struct", compliantToken(), 403).at("/error/message").asText()).contains(
                "x-ms-runtime.keys");
    }

    @Test
    void tokenWithoutAnEncryptionKeyGetsNoKey() {
        given().auth().oauth2(CONTOSO).contentType(ContentType.JSON)
                .body("{\"release_policy\": {\"anyOf\": [{\"authority\": \"http://127.0.0.1:8082\", \"allOf\":"
                        + " [{\"claim\": \"x-ms-attestation-type\", \"equals\": \"sevsnpvm\"}]}]}}")
                .put("/tenants/contoso/keys/nokey")
                .then().statusCode(200);
        var sim = Requests.sim(Requests.runtimeJson("{\"keys\":[]}"), POLICY);
        release("contoso", "nokey", Tokens.token(sim.body()), 400);
    }

    @Test
    void neverAcceptsAlgNone() {
        given().auth().oauth2(FABRIKAM).contentType(ContentType.JSON).body(releasePolicy(hostData()))
                .put("/tenants/fabrikam/keys/k").then()
                .statusCode(200);
        String[] parts = compliantToken().split("\\.");
        String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        assertThat(release("fabrikam", "k", none, 401).at("/error/code").asText()).isEqualTo(
                "InvalidAttestationToken");
        String noneWithSig = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + "." + parts[2];
        assertThat(release("fabrikam", "k", noneWithSig, 401).at("/error/message").asText()).contains("'none'");
    }

    @Test
    void neverAcceptsHs256SignedWithThePublicKey() throws Exception {
        given().auth().oauth2(FABRIKAM).contentType(ContentType.JSON).body(releasePolicy(hostData()))
                .put("/tenants/fabrikam/keys/k2").then()
                .statusCode(200);
        String token = compliantToken();
        String kid = Tokens.header(token).get("kid").asText();
        var jwk = JWKSet.parse(given().get("/certs").then().extract().asString()).getKeyByKeyId(kid).toRSAKey();
        byte[] pub = jwk.toRSAPublicKey().getEncoded();
        // the classic confusion attack: HMAC keyed with the public key's bytes (DER, and the PEM text)
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pub)
                + "\n-----END PUBLIC KEY-----\n";
        for (byte[] secret : new byte[][]{pub, pem.getBytes(StandardCharsets.US_ASCII)}) {
            var forged = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), new Payload(
                    Tokens.payload(token).toString()));
            forged.sign(new MACSigner(secret));
            assertThat(release("fabrikam", "k2", forged.serialize(), 401).at("/error/message").asText()).contains(
                    "HS256");
        }
    }

    @Test
    void neverAcceptsDraftPolicyTokensOrForeignKeys() throws Exception {
        given().auth().oauth2(FABRIKAM).contentType(ContentType.JSON).body(releasePolicy(hostData()))
                .put("/tenants/fabrikam/keys/k3").then()
                .statusCode(200);
        var sim = Requests.sim(runtime, POLICY);
        ObjectNode draft = sim.body();
        draft.put("draftPolicyForAttestation", "version=1.0; authorizationrules { => permit(); };");
        String unsigned = Tokens.token(draft);
        assertThat(Tokens.header(unsigned).get("alg").asText()).isEqualTo("none");
        release("fabrikam", "k3", unsigned, 401);

        // signed RS256 with a key we do not publish
        var g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        var rogue = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(Tokens.header(compliantToken()).get(
                "kid").asText()).build(), new Payload(Tokens.payload(compliantToken()).toString()));
        rogue.sign(new com.nimbusds.jose.crypto.RSASSASigner(g.generateKeyPair().getPrivate()));
        release("fabrikam", "k3", rogue.serialize(), 401);
    }

    @Test
    void unknownKeyIs404() {
        release("fabrikam", "missing", compliantToken(), 404);
    }

    @Test
    void akvStoredPolicyFormIsAcceptedForOurAuthorityOnly() {
        String microsofts = Requests.text("maa-formats/skr-release-policy.aci.example.json");
        // Microsoft's example names an MAA instance we are not: no token of ours could ever satisfy it
        given().auth().oauth2(FABRIKAM).contentType(ContentType.JSON).body(akvStored(microsofts))
                .put("/tenants/fabrikam/keys/aci").then().statusCode(400)
                .body("error.code", equalTo("InvalidReleasePolicy"))
                .body("error.message", containsString("release_policy.anyOf[0].authority"));
        String ours = microsofts.replace("https://fabrikam1.wus.attest.azure.net", "http://127.0.0.1:8082").replace(
                "532eaabd9574880dbf76b9b8cc00832c20a6ec113d682299550d7a6e0f345e25", hostData());
        given().auth().oauth2(FABRIKAM).contentType(ContentType.JSON).body(akvStored(ours))
                .put("/tenants/fabrikam/keys/aci").then().statusCode(200);
        release("fabrikam", "aci", compliantToken(), 200);
        given().auth().oauth2(FABRIKAM).get("/tenants/fabrikam/keys/aci").then().statusCode(200)
                .body("release_policy.data", containsString("eyJ"));
    }

    static String akvStored(String policy) {
        String data = Base64.getUrlEncoder().withoutPadding().encodeToString(policy.getBytes(StandardCharsets.UTF_8));
        return "{\"release_policy\": {\"contentType\": \"application/json; charset=utf-8\", \"data\": \"" + data
                + "\"}}";
    }

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
