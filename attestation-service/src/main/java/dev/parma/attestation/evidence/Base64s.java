package dev.parma.attestation.evidence;

import java.util.Base64;
import java.util.Optional;

/**
 * MAA requests mix encodings: the spec says base64url, the sidecar pads with '=', the documented example uses standard
 * base64. We accept all four forms (standard or URL alphabet, with or without padding) and nothing else.
 */
public final class Base64s {

    private Base64s() {
    }

    /** The decoded bytes, or empty when {@code text} is not base64 or base64url (with or without padding). */
    public static Optional<byte[]> decode(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '=') {
            end--;
        }
        if (text.length() - end > 2) {
            return Optional.empty();
        }
        boolean url = false;
        boolean std = false;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '-' || c == '_') {
                url = true;
            } else if (c == '+' || c == '/') {
                std = true;
            } else if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
                return Optional.empty();
            }
        }
        if (url && std || end % 4 == 1) {
            return Optional.empty();
        }
        String body = text.substring(0, end);
        try {
            return Optional.of(url ? Base64.getUrlDecoder().decode(body) : Base64.getDecoder().decode(body));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Unpadded base64url, as in JWTs. */
    public static String url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
