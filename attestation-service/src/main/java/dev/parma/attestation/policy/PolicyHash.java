package dev.parma.attestation.policy;

import dev.parma.attestation.evidence.Base64s;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * MAA's x-ms-policy-hash: BASE64URL(SHA256(UTF8(BASE64URL(UTF8(policy text))))), base64url without padding.
 */
public final class PolicyHash {

    private PolicyHash() {
    }

    public static String of(String policyText) {
        String inner = Base64s.url(policyText.getBytes(StandardCharsets.UTF_8));
        try {
            return Base64s.url(MessageDigest.getInstance("SHA-256").digest(inner.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
