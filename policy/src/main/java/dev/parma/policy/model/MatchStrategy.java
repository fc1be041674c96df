package dev.parma.policy.model;

/** How an env rule compares: exact string or fully anchored RE2. */
public enum MatchStrategy {
    STRING("string"), RE2("re2");

    private final String wire;

    MatchStrategy(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static MatchStrategy fromWire(String s) {
        for (MatchStrategy m : values()) {
            if (m.wire.equals(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown strategy \"" + s + "\" (expected string or re2)");
    }
}
