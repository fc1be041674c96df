package dev.parma.policy.rego;

/** A 1-based line and column in policy text. */
public record Position(int line, int column) {

    @Override
    public String toString() {
        return "line " + line + ", column " + column;
    }
}
