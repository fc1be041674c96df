package dev.parma.attestation.policy;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Claim names only the service itself issues: what relying parties and release policies trust as the platform's word.
 * MAA reserves its namespace the same way. An issuance rule may never issue one, whatever its case: a tenant policy
 * that could issue {@code x-ms-compliance-status} could make any guest compliant.
 */
public final class ReservedClaims {
    /** The platform's namespaces: MAA's claims and ours. */
    static final List<String> PREFIXES = List.of("x-ms-", "x-parma-");
    /** JWT's registered claims (RFC 7519), the request's nonce and the confirmation key (RFC 7800). */
    static final Set<String> NAMES = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "nonce", "cnf");

    private ReservedClaims() {
    }

    public static boolean isReserved(String claim) {
        String c = claim.strip().toLowerCase(Locale.ROOT);
        return NAMES.contains(c) || PREFIXES.stream().anyMatch(c::startsWith);
    }

    /** For messages: what is reserved. */
    public static String describe() {
        return "x-ms-*, x-parma-*, " + String.join(", ", NAMES.stream().sorted().toList());
    }
}
