package dev.parma.attestation.auth;

/**
 * The values of the bearer token's {@code roles} claim this service acts on: the same tokens and claims the
 * api-gateway accepts ({@code tid} names the tenant).
 */
public final class Roles {
    public static final String TENANT_OWNER = "tenant-owner";
    public static final String TENANT_READER = "tenant-reader";
    public static final String SRE = "sre";

    private Roles() {
    }
}
