package dev.parma.attestation.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.attestation.evidence.Base64s;
import dev.parma.attestation.oidc.SigningKeys.SigningKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Map;

/** Compact JWS serialisation (RFC 7515) with RS256, and MAA's unsigned form for draft-policy tokens. */
public final class Jws {

    private Jws() {
    }

    /** RS256 over {@code header.payload}, base64url without padding. */
    public static String rs256(ObjectMapper json, Map<String, Object> header, Map<String, Object> payload,
            SigningKey key) {
        String signingInput = encode(json, header) + "." + encode(json, payload);
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key.keyPair().getPrivate());
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64s.url(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RS256 signing failed", e);
        }
    }

    /** An unsigned JWT ({@code alg: none}, empty signature), as MAA returns for a draft policy. */
    public static String unsigned(ObjectMapper json, Map<String, Object> header, Map<String, Object> payload) {
        return encode(json, header) + "." + encode(json, payload) + ".";
    }

    private static String encode(ObjectMapper json, Map<String, Object> part) {
        try {
            return Base64s.url(json.writeValueAsBytes(part));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JWT part", e);
        }
    }
}
