package dev.parma.attestation.release;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the key to wrap a released key to: the first RSA JWK in the token's {@code x-ms-runtime.keys} with
 * {@code key_ops} containing "encrypt" or {@code use} "enc" (Key Vault's rule for attestation tokens).
 */
public final class WrappingKeys {

    /** The key and its kid (for the key_hsm header). */
    public record WrappingKey(String kid, RSAPublicKey key) {
    }

    private WrappingKeys() {
    }

    public static Optional<WrappingKey> fromClaims(Map<String, Object> claims) {
        if (!(claims.get("x-ms-runtime") instanceof Map<?, ?> runtime) || !(runtime.get(
                "keys") instanceof List<?> keys)) {
            return Optional.empty();
        }
        for (Object o : keys) {
            if (!(o instanceof Map<?, ?> jwk) || !"RSA".equals(jwk.get("kty"))) {
                continue;
            }
            boolean enc = "enc".equals(jwk.get("use")) || jwk.get("key_ops") instanceof List<?> ops && ops.contains(
                    "encrypt");
            if (!enc || !(jwk.get("n") instanceof String n) || !(jwk.get("e") instanceof String e)) {
                continue;
            }
            try {
                var spec = new RSAPublicKeySpec(new BigInteger(1, Base64.getUrlDecoder().decode(n)), new BigInteger(1,
                        Base64.getUrlDecoder().decode(e)));
                var key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(spec);
                if (key.getModulus().bitLength() < 2048 || key.getModulus().bitLength() > 8192) {
                    continue;
                }
                return Optional.of(new WrappingKey(jwk.get("kid") instanceof String k ? k : null, key));
            } catch (IllegalArgumentException | GeneralSecurityException ex) {
                // not a usable key: try the next one
            }
        }
        return Optional.empty();
    }
}
