package dev.parma.policy.model;

import java.nio.charset.StandardCharsets;

import dev.parma.policy.Require;
import dev.parma.policy.digest.HostData;

/** Entry points for reading a policy in any of the forms it travels in. */
public final class Policies {

    private Policies() {
    }

    /** From ARM's {@code ccePolicy}: standard base64 of the policy text. */
    public static Policy fromBase64(String base64) {
        return fromBytes(HostData.decodeBase64(base64));
    }

    /** From the decoded policy text (HOST_DATA is over its UTF-8 bytes). */
    public static Policy fromText(String text) {
        Require.nonNull(text, "policy text");
        return fromBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** From the exact decoded policy bytes. */
    public static Policy fromBytes(byte[] bytes) {
        Require.nonNull(bytes, "policy bytes");
        return PolicyDecoder.decode(bytes);
    }
}
