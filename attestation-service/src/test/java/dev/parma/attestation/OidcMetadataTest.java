package dev.parma.attestation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OIDC discovery and the JWKS, in MAA's shapes, with a real RSA key whose certificate matches the JWK. */
@QuarkusTest
@AttestationTestResources
class OidcMetadataTest {

    @Test
    void discoveryPointsAtTheJwks() {
        given().get("/.well-known/openid-configuration").then().statusCode(200)
                .body("issuer", equalTo("http://127.0.0.1:8082"))
                .body("jwks_uri", equalTo("http://127.0.0.1:8082/certs"))
                .body("id_token_signing_alg_values_supported", hasItem("RS256"))
                .body("claims_supported", hasItem("x-ms-sevsnpvm-hostdata"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void jwksKeyIsARealRsaKeyMatchingItsSelfSignedCertificate() throws Exception {
        List<Map<String, Object>> keys = given().get("/certs").then().statusCode(200).extract().path("keys");
        assertThat(keys).isNotEmpty();
        var jwk = keys.get(0);
        assertThat(jwk).containsEntry("kty", "RSA").containsEntry("alg", "RS256").containsEntry("use", "sig");

        byte[] der = Base64.getDecoder().decode(((List<String>) jwk.get("x5c")).get(0));
        var cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        cert.verify(cert.getPublicKey());
        var rsa = (RSAPublicKey) cert.getPublicKey();
        assertThat(rsa.getModulus().bitLength()).isEqualTo(2048);
        var b64url = Base64.getUrlDecoder();
        assertThat(new BigInteger(1, b64url.decode((String) jwk.get("n")))).isEqualTo(rsa.getModulus());
        assertThat(new BigInteger(1, b64url.decode((String) jwk.get("e")))).isEqualTo(rsa.getPublicExponent());
        assertThat(jwk.get("kid")).isEqualTo(
                Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(der)));
    }

    @Test
    void servesHealthMetricsAndOpenApi() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("certs"));
    }
}
