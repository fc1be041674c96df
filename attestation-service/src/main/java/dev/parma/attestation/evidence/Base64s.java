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
        // the JDK decoders reject characters outside their alphabet and accept missing padding; pick the alphabet by
        // its two distinctive characters (indexOf is an intrinsic: this stays cheap on 16 KiB report envelopes)
        boolean url = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
        try {
            return Optional.of(url ? Base64.getUrlDecoder().decode(text) : Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Unpadded base64url, as in JWTs. */
    public static String url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
