package dev.parma.attestation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The tests' OIDC issuer of operator and tenant bearer tokens: an RSA key kept in target/test-issuer (the same file
 * for the test resource and the tests, whatever class loader reads it), its JWKS beside it, and RS256 tokens with
 * the api-gateway's claims (tid, oid, roles).
 */
public final class TestIssuer {
    public static final String ISSUER = "https://issuer.test.parma/";
    static final Path DIR = Path.of("target", "test-issuer").toAbsolutePath();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static RSAPrivateCrtKey key;

    private TestIssuer() {
    }

    /** The key, created (with its JWKS) on first use. */
    static synchronized RSAPrivateCrtKey key() {
        if (key != null) {
            return key;
        }
        try {
            Path file = DIR.resolve("key.pk8");
            if (!Files.exists(file)) {
                Files.createDirectories(DIR);
                var gen = KeyPairGenerator.getInstance("RSA");
                gen.initialize(2048);
                Path tmp = Files.createTempFile(DIR, "key", ".tmp");
                Files.write(tmp, gen.generateKeyPair().getPrivate().getEncoded());
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException raced) {
                    Files.deleteIfExists(tmp);
                }
            }
            key = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Files
                    .readAllBytes(file)));
            Files.writeString(jwks(), "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"t1\","
                    + "\"n\":\"" + b64(key.getModulus()) + "\",\"e\":\"" + b64(key.getPublicExponent()) + "\"}]}");
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path jwks() {
        return DIR.resolve("jwks.json");
    }

    /** A valid token of {@code tenant} with {@code roles}. */
    public static String token(String tenant, String... roles) {
        long now = Instant.now().getEpochSecond();
        return sign(claims(ISSUER, tenant, now + 3600, roles), key());
    }

    public static String sre() {
        return token("operators", "sre");
    }

    public static String expired(String tenant, String... roles) {
        return sign(claims(ISSUER, tenant, Instant.now().getEpochSecond() - 3600, roles), key());
    }

    public static String fromIssuer(String issuer, String tenant, String... roles) {
        return sign(claims(issuer, tenant, Instant.now().getEpochSecond() + 3600, roles), key());
    }

    /** RS256 claims signed by a key nobody trusts. */
    public static String foreignKey(String tenant, String... roles) {
        try {
            var gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            return sign(claims(ISSUER, tenant, Instant.now().getEpochSecond() + 3600, roles), gen.generateKeyPair()
                    .getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The classic confusion attack: HS256 with the issuer's public modulus as the HMAC secret. */
    public static String hs256WithPublicKey(String tenant, String... roles) {
        String input = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"t1\"}".getBytes(
                StandardCharsets.UTF_8)) + "." + B64.encodeToString(
                        claims(ISSUER, tenant, Instant.now()
                                .getEpochSecond() + 3600, roles).getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key().getModulus().toByteArray(), "HmacSHA256"));
            return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String algNone(String tenant, String... roles) {
        return B64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims(ISSUER, tenant, Instant.now().getEpochSecond() + 3600, roles).getBytes(
                        StandardCharsets.UTF_8))
                + ".";
    }

    private static String claims(String issuer, String tenant, long exp, String... roles) {
        long iat = Math.min(exp - 60, Instant.now().getEpochSecond());
        String r = Arrays.stream(roles).map(x -> "\"" + x + "\"").collect(Collectors.joining(",", "[", "]"));
        return "{\"iss\":\"" + issuer + "\",\"aud\":\"https://management.parma.local/\",\"sub\":\"" + tenant
                + "-user\",\"oid\":\"" + tenant + "-user\",\"tid\":\"" + tenant + "\",\"roles\":" + r + ",\"iat\":"
                + iat + ",\"nbf\":" + iat + ",\"exp\":" + exp + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
    }

    private static String sign(String claims, PrivateKey key) {
        String input = B64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"t1\"}".getBytes(
                StandardCharsets.UTF_8)) + "." + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(BigInteger v) {
        byte[] bytes = v.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return B64.encodeToString(bytes);
    }

}
