package dev.parma.attestation.api;

import java.util.Set;

/** The api-versions of MAA's data plane we serve. */
public final class ApiVersions {

    /** MAA's current GA version, the one the docs use. */
    public static final String DEFAULT = "2022-08-01";
    /** 2020-10-01: what the ACI sidecar sends; 2025-06-01: the latest REST spec. */
    public static final Set<String> SUPPORTED = Set.of("2020-10-01", DEFAULT, "2025-06-01");

    private ApiVersions() {
    }

    /** Refuses a missing or unknown api-version with InvalidApiVersionParameter. */
    public static void check(String apiVersion) {
        if (apiVersion == null || apiVersion.isBlank()) {
            throw AttestationException.badRequest(AttestationErrors.INVALID_API_VERSION,
                    "The api-version query parameter is required; supported: " + String.join(", ", SUPPORTED.stream()
                            .sorted().toList()) + ".",
                    "api-version");
        }
        if (!SUPPORTED.contains(apiVersion)) {
            throw AttestationException.badRequest(AttestationErrors.INVALID_API_VERSION, "The api-version '"
                    + abbreviate(apiVersion) + "' is not supported; supported: " + String.join(", ", SUPPORTED
                            .stream().sorted().toList())
                    + ".", "api-version");
        }
    }

    static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
