package dev.parma.policy.preflight;

import dev.parma.policy.Require;

/** One field of a container that the policy would reject, and why, in words a tenant can act on. */
public record FieldProblem(String field, String detail) {

    public FieldProblem {
        Require.nonNull(field, "field");
        Require.nonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return field + ": " + detail;
    }
}
