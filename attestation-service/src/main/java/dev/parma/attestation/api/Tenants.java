package dev.parma.attestation.api;

/** Tenant names in paths: lowercase letters, digits and dashes, 1 to 63 characters. */
public final class Tenants {

    private Tenants() {
    }

    public static String check(String tenant) {
        if (tenant == null || !tenant.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw AttestationException.badRequest(AttestationErrors.INVALID_REQUEST_CONTENT,
                    "The tenant name must be 1 to 63 lowercase letters, digits or dashes.", "tenant");
        }
        return tenant;
    }
}
