package dev.parma.policy.model;

/** The policy's {@code reason} rule, which shapes the {@code reason} of a denial. */
public enum ReasonRule {
    /** confcom: {@code reason := {"errors": data.framework.errors}}. */
    ERRORS,
    /** hcsshim template: {@code reason := data.framework.reason} (errors plus error objects). */
    FRAMEWORK_REASON,
    /**
     * hcsshim's sample policies: {@code reason := {"errors": data.framework.errors, "error_objects":
     * data.framework.error_objects}}, framework.reason written out.
     */
    ERRORS_AND_ERROR_OBJECTS;

    /** Whether a denial's reason carries {@code error_objects} (the candidates the request was judged against). */
    public boolean withErrorObjects() {
        return this != ERRORS;
    }
}
