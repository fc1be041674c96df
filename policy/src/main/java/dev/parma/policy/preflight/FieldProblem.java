package dev.parma.policy.preflight;

import java.util.Objects;

/** One field of a container that the policy would reject, and why, in words a tenant can act on. */
public record FieldProblem(String field, String detail) {

    public FieldProblem {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return field + ": " + detail;
    }
}
