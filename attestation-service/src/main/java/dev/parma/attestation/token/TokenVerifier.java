package dev.parma.attestation.token;

import static dev.parma.attestation.api.AttestationErrors.INVALID_TOKEN;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.attestation.api.AttestationException;
import dev.parma.attestation.oidc.SigningKeys;
import dev.parma.attestation.oidc.SigningKeys.SigningKey;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

/**
 * Verifies tokens presented for key release: only RS256 (never {@code none}, never an HMAC keyed with our public key),
 * only a kid we publish, iss one of our instances ({@link Authorities}), nbf/exp checked with a small clock skew.
 */
@ApplicationScoped
public class TokenVerifier {
    private static final long SKEW_SECONDS = 60;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Authorities authorities;
    private final SigningKeys keys;
    private final ObjectMapper json;
    private final Clock clock;

    /** A token that verifies: the instance that issued it and its claims. */
    public record Verified(Authority issuer, Map<String, Object> claims) {
    }

    TokenVerifier(Authorities authorities, SigningKeys keys, ObjectMapper json, Clock clock) {
        this.authorities = authorities;
        this.keys = keys;
        this.json = json;
        this.clock = clock;
    }

    /** The token's issuer and claims; throws a 401 InvalidAttestationToken CloudError for anything else. */
    public Verified verify(String token) {
        if (token == null || token.length() > 64 * 1024) {
            throw invalid("The target token is missing or too long.");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[2].isEmpty()) {
            throw invalid("The target is not a signed compact JWS (header.payload.signature).");
        }
        Map<String, Object> header = part(parts[0], "header");
        Object alg = header.get("alg");
        if (!"RS256".equals(alg)) {
            throw invalid("The token's alg is " + (alg == null ? "missing" : "'" + abbreviate(alg.toString()) + "'")
                    + "; only RS256 tokens from this service are accepted.");
        }
        Object kid = header.get("kid");
        SigningKey key = kid instanceof String k ? keys.byKid(k).orElse(null) : null;
        if (key == null) {
            throw invalid("The token's kid is not one of this service's published signing keys.");
        }
        byte[] sig;
        try {
            sig = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw invalid("The token signature is not base64url.");
        }
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(key.keyPair().getPublic());
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!s.verify(sig)) {
                throw invalid("The token signature does not verify.");
            }
        } catch (GeneralSecurityException e) {
            throw invalid("The token signature does not verify.");
        }
        Map<String, Object> claims = part(parts[1], "payload");
        Authority issuer = authorities.ofIssuer(claims.get("iss") instanceof String iss ? iss : null).orElseThrow(
                () -> invalid("The token was not issued by an attestation instance of this service."));
        long now = clock.instant().getEpochSecond();
        if (!(claims.get("exp") instanceof Number exp) || exp.longValue() + SKEW_SECONDS < now) {
            throw invalid("The token has expired.");
        }
        if (claims.get("nbf") instanceof Number nbf && nbf.longValue() - SKEW_SECONDS > now) {
            throw invalid("The token is not valid yet.");
        }
        return new Verified(issuer, claims);
    }

    private Map<String, Object> part(String b64, String what) {
        try {
            Map<String, Object> m = json.readValue(Base64.getUrlDecoder().decode(b64), MAP);
            if (m == null) {
                throw invalid("The token " + what + " is not a JSON object.");
            }
            return m;
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw invalid("The token " + what + " is not base64url JSON.");
        }
    }

    private static AttestationException invalid(String message) {
        return new AttestationException(401, INVALID_TOKEN, message, "target");
    }

    private static String abbreviate(String s) {
        return s.length() > 20 ? s.substring(0, 20) + "…" : s;
    }
}
