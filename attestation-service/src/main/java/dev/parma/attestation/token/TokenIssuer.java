package dev.parma.attestation.token;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.attestation.config.AttestationConfig;
import dev.parma.attestation.oidc.SigningKeys;
import dev.parma.attestation.oidc.SigningKeys.SigningKey;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Signs attestation tokens as MAA does: header {alg RS256, jku {instance}/certs, kid, typ JWT}; iss = the instance
 * ({@link Authority}), iat, nbf = iat, exp = iat + lifetime (8 h by default), jti = 64 hex digits; claims in name
 * order. All instances share the signing keys; iss, inside the signature, says which one's policy admitted the evidence.
 */
@ApplicationScoped
public class TokenIssuer {
    private final AttestationConfig config;
    private final SigningKeys keys;
    private final ObjectMapper json;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    TokenIssuer(AttestationConfig config, SigningKeys keys, ObjectMapper json, Clock clock) {
        this.config = config;
        this.keys = keys;
        this.json = json;
        this.clock = clock;
    }

    /** A signed token of {@code instance} carrying {@code claims} plus the registered ones. */
    public String issue(Authority instance, Map<String, Object> claims) {
        SigningKey key = keys.current();
        var header = new LinkedHashMap<String, Object>();
        header.put("alg", "RS256");
        header.put("jku", instance.issuer() + "/certs");
        header.put("kid", key.kid());
        header.put("typ", "JWT");
        return Jws.rs256(json, header, payload(instance, claims), key);
    }

    /** An unsigned token (alg none) for a draft policy: it shows the outcome and cannot be validated. */
    public String issueUnsigned(Authority instance, Map<String, Object> claims) {
        var header = new LinkedHashMap<String, Object>();
        header.put("alg", "none");
        header.put("typ", "JWT");
        return Jws.unsigned(json, header, payload(instance, claims));
    }

    /** Signs any payload with the current key, x5c in the header (key release responses). */
    public String sign(Map<String, Object> payload) {
        SigningKey key = keys.current();
        var header = new LinkedHashMap<String, Object>();
        header.put("alg", "RS256");
        header.put("kid", key.kid());
        try {
            header.put("x5c", List.of(Base64.getEncoder().encodeToString(key.certificate().getEncoded())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        header.put("typ", "JWT");
        return Jws.rs256(json, header, payload, key);
    }

    private Map<String, Object> payload(Authority instance, Map<String, Object> claims) {
        long now = clock.instant().getEpochSecond();
        byte[] jti = new byte[32];
        random.nextBytes(jti);
        Map<String, Object> p = new TreeMap<>(claims);
        p.put("iss", instance.issuer());
        p.put("iat", now);
        p.put("nbf", now);
        p.put("exp", now + config.tokenLifetime().toSeconds());
        p.put("jti", HexFormat.of().formatHex(jti));
        return p;
    }
}
