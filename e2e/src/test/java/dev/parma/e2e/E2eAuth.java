package dev.parma.e2e;

import java.math.BigInteger;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The e2e tests' OIDC issuer: an RSA key made per test run, its JWKS written to a file the gateway reads through
 * its production settings (PARMA_AUTH_ISSUER, PARMA_AUTH_JWKS_URL=file:...), and RS256 tenant tokens. Unknown
 * subscriptions are given to the first tenant that writes into them (PARMA_TENANCY_AUTO_REGISTER), so tests can
 * use fresh subscription ids.
 */
public final class E2eAuth {

    static final String ISSUER = "https://issuer.e2e.parma.test/";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static KeyPair keys;
    private static Path jwks;

    private E2eAuth() {
    }

    private static synchronized void init() {
        if (keys != null) {
            return;
        }
        try {
            var gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            keys = gen.generateKeyPair();
            var pub = (RSAPublicKey) keys.getPublic();
            Path root = Path.of(System.getProperty("parma.root", "..")).toAbsolutePath().normalize();
            Path dir = Files.createDirectories(root.resolve("e2e/target/issuer"));
            jwks = dir.resolve("jwks-" + UUID.randomUUID() + ".json");
            Files.writeString(jwks,
                    "{\"keys\":[{\"kty\":\"RSA\",\"alg\":\"RS256\",\"use\":\"sig\",\"kid\":\"e2e\",\"n\":\""
                            + b64(pub.getModulus()) + "\",\"e\":\"" + b64(pub.getPublicExponent()) + "\"}]}");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code env} plus what makes the gateway trust this issuer. */
    public static Map<String, String> gatewayEnv(Map<String, String> env) {
        var out = issuerEnv(env);
        out.put("PARMA_TENANCY_AUTO_REGISTER", "true");
        return out;
    }

    /** {@code env} plus this issuer and its JWKS (PARMA_AUTH_ISSUER, PARMA_AUTH_JWKS_URL), for any service. */
    static Map<String, String> issuerEnv(Map<String, String> env) {
        init();
        var out = new HashMap<>(env);
        out.put("PARMA_AUTH_ISSUER", ISSUER);
        out.put("PARMA_AUTH_JWKS_URL", jwks.toUri().toString());
        return out;
    }

    /** A token for {@code tenant} with {@code roles}, valid for 30 minutes. */
    public static String token(String tenant, String... roles) {
        init();
        long now = Instant.now().getEpochSecond();
        String roleList = String.join(",", Arrays.stream(roles).map(r -> "\"" + r + "\"").toList());
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"e2e\"}";
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + tenant + "-user\",\"tid\":\"" + tenant
                + "\",\"roles\":[" + roleList + "],\"iat\":" + now + ",\"nbf\":" + now + ",\"exp\":" + (now + 1800)
                + "}";
        String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            var s = Signature.getInstance("SHA256withRSA");
            s.initSign(keys.getPrivate());
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds the default e2e tenant owner's token to requests for the ARM API (paths under /subscriptions/). */
    static HttpRequest.Builder authorize(HttpRequest.Builder request) {
        var built = request.copy().build();
        if (built.uri().getPath().startsWith("/subscriptions/")
                && built.headers().firstValue("Authorization").isEmpty()) {
            request.header("Authorization", "Bearer " + token("e2e-tenant", "tenant-owner"));
        }
        return request;
    }

    private static String b64(BigInteger v) {
        byte[] bytes = v.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return B64.encodeToString(bytes);
    }
}
