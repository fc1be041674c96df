package dev.parma.policy.model;

/** The policy's {@code reason} rule, which shapes the {@code reason} of a denial. */
public enum ReasonRule {
    /** confcom: {@code reason := {"errors": data.framework.errors}}. */
    ERRORS,
    /** hcsshim template: {@code reason := data.framework.reason} (errors plus error objects). */
    FRAMEWORK_REASON
}
