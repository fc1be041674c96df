package dev.parma.attestation.api;

import java.util.regex.Pattern;

/** Tenant names in paths: lowercase letters, digits and dashes, 1 to 63 characters. */
public final class Tenants {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private Tenants() {
    }

    public static boolean isValid(String tenant) {
        return tenant != null && NAME.matcher(tenant).matches();
    }

    public static String check(String tenant) {
        if (!isValid(tenant)) {
            throw AttestationException.badRequest(AttestationErrors.INVALID_REQUEST_CONTENT,
                    "The tenant name must be 1 to 63 lowercase letters, digits or dashes.", "tenant");
        }
        return tenant;
    }
}
