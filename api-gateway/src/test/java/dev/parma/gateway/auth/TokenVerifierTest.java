package dev.parma.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parma.gateway.arm.ArmError;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bearer-token checks, one by one, against an issuer whose JWKS is a file the test rewrites, on clocks the test
 * moves: RS256 only, the key by kid (re-read on an unknown kid at most every 30 s), iss exact, aud when configured,
 * exp and nbf with 60 s of skew, and the CloudError code of each refusal.
 */
class TokenVerifierTest {

    static final String ISSUER = "https://issuer.test.parma/";
    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    static final long NOW = 1_800_000_000L;

    @TempDir
    Path dir;
    Path jwks;
    KeyPair k1;
    KeyPair k2;
    final AtomicLong nanos = new AtomicLong(Duration.ofHours(1).toNanos());

    @BeforeEach
    void issuer() throws Exception {
        var gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        k1 = gen.generateKeyPair();
        k2 = gen.generateKeyPair();
        jwks = dir.resolve("jwks.json");
        publish("k1", k1);
    }

    void publish(String kid, KeyPair keys) throws Exception {
        var pub = (RSAPublicKey) keys.getPublic();
        Files.writeString(jwks, "{\"keys\":[{\"kty\":\"RSA\",\"alg\":\"RS256\",\"kid\":\"" + kid + "\",\"n\":\""
                + b64(pub.getModulus()) + "\",\"e\":\"" + b64(pub.getPublicExponent()) + "\"}]}");
    }

    TokenVerifier verifier(String audience) {
        var v = new TokenVerifier();
        v.issuer = Optional.of(ISSUER);
        v.jwksUrl = Optional.of(jwks.toUri().toString());
        v.audience = Optional.ofNullable(audience);
        v.devIssuerDir = Optional.empty();
        v.nanoClock = nanos::get;
        v.epochSeconds = () -> NOW;
        v.init();
        return v;
    }

    static String claims(String extra) {
        return "{\"iss\":\"" + ISSUER + "\",\"tid\":\"tenant-a\",\"oid\":\"user-1\",\"roles\":[\"tenant-owner\"],"
                + "\"exp\":" + (NOW + 600) + extra + "}";
    }

    static String rs256(KeyPair keys, String kid, String claims) throws Exception {
        String input = B64.encodeToString(("{\"alg\":\"RS256\",\"kid\":\"" + kid + "\"}").getBytes(
                StandardCharsets.UTF_8)) + "." + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        var s = Signature.getInstance("SHA256withRSA");
        s.initSign(keys.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64.encodeToString(s.sign());
    }

    static void refused(TokenVerifier v, String token, String code) {
        assertThatThrownBy(() -> v.verify(token)).isInstanceOfSatisfying(ArmError.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.code()).isEqualTo(code);
        });
    }

    @Test
    void anRs256TokenOfTheIssuerGivesTheCaller() throws Exception {
        Caller c = verifier(null).verify(rs256(k1, "k1", claims("")));
        assertThat(c.tenant()).isEqualTo("tenant-a");
        assertThat(c.objectId()).isEqualTo("user-1");
        assertThat(c.roles()).containsExactly(Role.TENANT_OWNER);
    }

    @Test
    void onlyRs256IsAcceptedNeverNoneOrAnHmacKeyedWithThePublicKey() throws Exception {
        var v = verifier(null);
        String payload = B64.encodeToString(claims("").getBytes(StandardCharsets.UTF_8));
        refused(v, B64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + payload + ".",
                "InvalidAuthenticationToken");
        // the classic confusion: HS256 with the issuer's public key bytes as the secret
        String input = B64.encodeToString("{\"alg\":\"HS256\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + payload;
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(k1.getPublic().getEncoded(), "HmacSHA256"));
        refused(v, input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII))),
                "InvalidAuthenticationToken");
        refused(v, rs256(k2, "k1", claims("")), "InvalidAuthenticationToken");
    }

    @Test
    void theIssuerMustMatchExactly() throws Exception {
        String almost = claims("").replace(ISSUER, ISSUER.substring(0, ISSUER.length() - 1));
        refused(verifier(null), rs256(k1, "k1", almost), "InvalidAuthenticationToken");
    }

    @Test
    void expAndNbfAllowSixtySecondsOfSkew() throws Exception {
        var v = verifier(null);
        String base = claims("");
        String exp = "\"exp\":" + (NOW + 600);
        v.verify(rs256(k1, "k1", base.replace(exp, "\"exp\":" + (NOW - 50))));
        refused(v, rs256(k1, "k1", base.replace(exp, "\"exp\":" + (NOW - 70))), "ExpiredAuthenticationToken");
        v.verify(rs256(k1, "k1", claims(",\"nbf\":" + (NOW + 50))));
        refused(v, rs256(k1, "k1", claims(",\"nbf\":" + (NOW + 70))), "InvalidAuthenticationToken");
    }

    @Test
    void theAudienceIsCheckedOnlyWhenConfigured() throws Exception {
        String none = rs256(k1, "k1", claims(""));
        String ours = rs256(k1, "k1", claims(",\"aud\":[\"other\",\"api://parma\"]"));
        verifier(null).verify(none);
        var strict = verifier("api://parma");
        refused(strict, none, "InvalidAuthenticationToken");
        refused(strict, rs256(k1, "k1", claims(",\"aud\":\"other\"")), "InvalidAuthenticationToken");
        assertThat(strict.verify(ours).tenant()).isEqualTo("tenant-a");
    }

    @Test
    void aTokenWithoutTenantIsRefused() throws Exception {
        refused(verifier(null), rs256(k1, "k1", claims("").replace("\"tid\":\"tenant-a\",", "")),
                "InvalidAuthenticationToken");
    }

    @Test
    void anUnknownKidReReadsTheJwksAtMostEveryThirtySeconds() throws Exception {
        var v = verifier(null);
        v.verify(rs256(k1, "k1", claims(""))); // first use: the JWKS is read
        publish("k2", k2); // the issuer rotates its key
        String rotated = rs256(k2, "k2", claims(""));
        refused(v, rotated, "InvalidAuthenticationToken");
        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(v.verify(rotated).tenant()).isEqualTo("tenant-a");
        // keys read earlier stay trusted: tokens issued before the rotation still verify
        v.verify(rs256(k1, "k1", claims("")));
    }

    private static String b64(BigInteger v) {
        byte[] bytes = v.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return B64.encodeToString(bytes);
    }
}
