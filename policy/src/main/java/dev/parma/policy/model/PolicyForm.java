package dev.parma.policy.model;

/** The text form a policy was read from. */
public enum PolicyForm {
    /** The generated Rego form (confcom / hcsshim templates, allow-all Rego). */
    REGO,
    /** Pre-2025 JSON policy with containers, converted with hcsshim's defaults. */
    LEGACY_JSON,
    /** Pre-2025 JSON {@code {"allow_all": true, ...}}: maps to the open door. */
    LEGACY_JSON_ALLOW_ALL
}
