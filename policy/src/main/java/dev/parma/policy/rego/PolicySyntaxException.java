package dev.parma.policy.rego;

import dev.parma.policy.Require;

/**
 * The policy text is outside the supported form. Always names where: a policy we cannot read exactly must never be
 * half-accepted.
 */
public final class PolicySyntaxException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient Position position;
    private final String detail;

    public PolicySyntaxException(Position position, String detail) {
        super(position + ": " + detail);
        this.position = Require.nonNull(position, "position");
        this.detail = detail;
    }

    public Position position() {
        return position;
    }

    public int line() {
        return position.line();
    }

    public int column() {
        return position.column();
    }

    /** The message without the position prefix. */
    public String detail() {
        return detail;
    }
}
