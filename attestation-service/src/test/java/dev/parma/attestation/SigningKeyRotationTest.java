package dev.parma.attestation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import dev.parma.identity.MasterKey;
import dev.parma.attestation.oidc.SigningKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Signing keys live in PostgreSQL sealed under the master key; rotation keeps old tokens verifiable. */
@QuarkusTest
@AttestationTestResources
class SigningKeyRotationTest {

    @Inject
    DataSource db;

    @Inject
    SigningKeys keys;

    static String maaToken() throws Exception {
        return Tokens.token((ObjectNode) Requests.JSON.readTree(Requests.text(
                "maa-docs-milan-v1/attest_request.reencoded.json")));
    }

    @Test
    void tokensSignedBeforeARotationStillVerify() throws Exception {
        String before = maaToken();
        String oldKid = Tokens.header(before).get("kid").asText();

        String newKid = given().auth().oauth2(TestIssuer.sre()).post("/admin/signing-keys/rotate").then()
                .statusCode(200).extract().path("kid");
        assertThat(newKid).isNotEqualTo(oldKid);

        String jwks = given().get("/certs").then().statusCode(200).extract().asString();
        assertThat(JWKSet.parse(jwks).getKeys()).extracting(k -> k.getKeyID()).contains(oldKid, newKid);
        String after = maaToken();
        assertThat(Tokens.header(after).get("kid").asText()).isEqualTo(newKid);
        // both verify through the same JWKS, independently of our code
        TokenVerificationTest.verifyWithNimbus(before, jwks);
        TokenVerificationTest.verifyWithNimbus(after, jwks);

        // and the release endpoint still accepts the old token
        given().auth().oauth2(TestIssuer.token("rot", "tenant-owner")).contentType(ContentType.JSON)
                .body("{\"release_policy\": {\"anyOf\": [{\"authority\": \"http://127.0.0.1:8082\", \"allOf\": [{\"claim\":"
                        + " \"x-ms-attestation-type\", \"equals\": \"sevsnpvm\"}]}]}}")
                .put("/tenants/rot/keys/k").then()
                .statusCode(200);
        // (the MAA example's runtime key is an RSA key with key_ops encrypt: the release succeeds)
        given().contentType(ContentType.JSON).body("{\"target\": \"" + before + "\"}").post(
                "/tenants/rot/keys/k/release").then().statusCode(200);
    }

    @Test
    void privateKeysAreSealedAtRest() throws Exception {
        List<byte[]> sealed = new ArrayList<>();
        List<String> kids = new ArrayList<>();
        try (var c = db.getConnection();
                var s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT kid, private_key FROM signing_keys")) {
            while (rs.next()) {
                kids.add(rs.getString(1));
                sealed.add(rs.getBytes(2));
            }
        }
        assertThat(sealed).isNotEmpty();
        byte[] pkcs8 = keys.current().keyPair().getPrivate().getEncoded();
        for (byte[] row : sealed) {
            assertThat(indexOf(row, java.util.Arrays.copyOfRange(pkcs8, 26, 58))).as("plaintext key bytes at rest")
                    .isLessThan(0);
        }
        var wrong = new MasterKey("another master key of 32 bytes!!".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> wrong.open(sealed.get(0), "signing-key:" + kids.get(0))).hasMessageContaining(
                "wrong master key");
    }

    @Test
    void releaseKeysAreSealedAtRest() throws Exception {
        given().auth().oauth2(TestIssuer.token("rot", "tenant-owner")).contentType(ContentType.JSON)
                .body("{\"release_policy\": {\"anyOf\": [{\"authority\": \"http://127.0.0.1:8082\", \"allOf\": [{\"claim\":"
                        + " \"x-ms-attestation-type\", \"equals\": \"sevsnpvm\"}]}]}}")
                .put("/tenants/rot/keys/sealed").then()
                .statusCode(200);
        try (var c = db.getConnection();
                var s = c.prepareStatement("SELECT key_material FROM release_keys WHERE"
                        + " tenant = 'rot' AND name = 'sealed'")) {
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBytes(1)).hasSize(12 + 32 + 16); // IV, AES-GCM ciphertext of 32 bytes, tag
            }
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer : for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
