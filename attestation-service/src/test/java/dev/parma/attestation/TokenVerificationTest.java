package dev.parma.attestation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Our tokens verify with independent libraries the way relying parties do it: OIDC discovery, then the JWKS at
 * jwks_uri, then an RS256 signature check with the kid's key. Java: nimbus-jose-jwt. JavaScript: npm jose under node.
 */
@QuarkusTest
@AttestationTestResources
class TokenVerificationTest {

    @TestHTTPResource("/")
    URL base;

    /** The OIDC documents name the configured issuer; the test server listens on a random port instead. */
    private String local(String url) {
        return base.toString().replaceAll("/$", "") + URI.create(url).getPath();
    }

    static JWTClaimsSet verifyWithNimbus(String token, String jwksJson) throws Exception {
        var processor = new DefaultJWTProcessor<SecurityContext>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(
                JWKSet.parse(jwksJson))));
        var claimsVerifier = new DefaultJWTClaimsVerifier<SecurityContext>(new JWTClaimsSet.Builder().issuer(
                "http://127.0.0.1:8082").build(), Set.of("iat", "exp", "nbf", "jti")) {
            @Override
            protected Date currentTime() {
                return Date.from(TestBeans.NOW);
            }
        };
        processor.setJWTClaimsSetVerifier(claimsVerifier);
        return processor.process(token, null);
    }

    @Test
    void nimbusVerifiesTokensThroughDiscoveryAndJwks() throws Exception {
        String token = Tokens.token((ObjectNode) Requests.JSON.readTree(Requests.text(
                "maa-docs-milan-v1/attest_request.reencoded.json")));
        String jwksUri = given().get("/.well-known/openid-configuration").then().statusCode(200).extract().path(
                "jwks_uri");
        assertThat(jwksUri).isEqualTo("http://127.0.0.1:8082/certs");
        String jwks = given().get(local(jwksUri)).then().statusCode(200).extract().asString();

        JWTClaimsSet claims = verifyWithNimbus(token, jwks);
        assertThat(claims.getStringClaim("x-ms-attestation-type")).isEqualTo("sevsnpvm");
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(8 * 3600_000L);
        // the JWK carries what Key Vault requires of an issuer: kid, kty, x5c (and alg, use)
        var jwk = JWKSet.parse(jwks).getKeyByKeyId(Tokens.header(token).get("kid").asText());
        assertThat(jwk.getKeyType().getValue()).isEqualTo("RSA");
        assertThat(jwk.getAlgorithm().getName()).isEqualTo("RS256");
        assertThat(jwk.getKeyUse().identifier()).isEqualTo("sig");
        assertThat(jwk.getX509CertChain()).hasSize(1);
    }

    @Test
    void npmJoseVerifiesTokensThroughDiscoveryAndJwks() throws Exception {
        String real = Tokens.token((ObjectNode) Requests.JSON.readTree(Requests.text(
                "maa-docs-milan-v1/attest_request.reencoded.json")));
        var sim = Requests.sim(Requests.runtimeJson("{\"keys\":[]}"), "policy".getBytes(StandardCharsets.UTF_8));
        String simulated = Tokens.token(sim.body());
        String[] parts = real.split("\\.");
        String tamperedPayload = parts[0] + "." + parts[1].substring(0, parts[1].length() - 4) + "AAAA." + parts[2];
        String unsigned = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";

        Path work = Path.of("target", "jose-check");
        Files.createDirectories(work);
        for (String f : List.of("package.json", "package-lock.json", "verify-tokens.mjs")) {
            Files.copy(Path.of("src", "test", "js", f), work.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        ObjectNode input = Requests.JSON.createObjectNode();
        input.put("baseUrl", base.toString());
        input.put("issuer", "http://127.0.0.1:8082");
        input.put("currentDate", TestBeans.NOW.getEpochSecond());
        ArrayNode tokens = input.putArray("tokens");
        tokens.addObject().put("name", "real").put("token", real).put("expect", "valid");
        tokens.addObject().put("name", "simulated").put("token", simulated).put("expect", "valid");
        tokens.addObject().put("name", "tampered").put("token", tamperedPayload).put("expect", "invalid");
        tokens.addObject().put("name", "alg-none").put("token", unsigned).put("expect", "invalid");
        Files.writeString(work.resolve("input.json"), input.toString());

        run(work, "npm", "ci", "--no-audit", "--no-fund");
        String out = run(work, "node", "verify-tokens.mjs", "input.json");

        Set<String> lines = new HashSet<>(out.lines().toList());
        assertThat(lines).anyMatch(l -> l.contains("\"name\":\"real\"") && l.contains("\"valid\":true") && l
                .contains("\"attestationType\":\"sevsnpvm\""));
        assertThat(lines).anyMatch(l -> l.contains("\"name\":\"simulated\"") && l.contains("\"valid\":true"));
        assertThat(lines).anyMatch(l -> l.contains("\"name\":\"tampered\"") && l.contains("\"valid\":false"));
        assertThat(lines).anyMatch(l -> l.contains("\"name\":\"alg-none\"") && l.contains("\"valid\":false"));
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
        assertThat(p.exitValue()).as("%s exit code; output:%n%s", List.of(command), out).isZero();
        return out;
    }
}
