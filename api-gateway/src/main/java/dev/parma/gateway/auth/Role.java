package dev.parma.gateway.auth;

import java.util.Locale;
import java.util.Optional;

/** The roles a token's {@code roles} claim may carry. Unknown role names are ignored. */
public enum Role {
    /** Everything in the subscriptions of its tenant. */
    TENANT_OWNER("tenant-owner"),
    /** Reads (groups, lists, operations, deployments, usages, logs) in the subscriptions of its tenant. */
    TENANT_READER("tenant-reader"),
    /** Reads usages in the subscriptions of its tenant, nothing else. */
    BILLING_READER("billing-reader"),
    /** Site reliability: reads resource metadata in every tenant and node views; never writes, never logs. */
    SRE("sre");

    public final String claim;

    Role(String claim) {
        this.claim = claim;
    }

    public static Optional<Role> fromClaim(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.toLowerCase(Locale.ROOT).replace('_', '-');
        for (Role r : values()) {
            if (r.claim.equals(v)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
