package dev.parma.policy.model;

import dev.parma.policy.Require;

/** A user or group rule: {@code any}, {@code id} (uid/gid string equality), {@code name} or {@code re2} (on name). */
public record IdName(String pattern, Strategy strategy) {

    public static final IdName ANY = new IdName("", Strategy.ANY);

    public IdName {
        Require.nonNull(pattern, "pattern");
        Require.nonNull(strategy, "strategy");
    }

    public enum Strategy {
        ANY("any"), ID("id"), NAME("name"), RE2("re2");

        private final String wire;

        Strategy(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Strategy fromWire(String s) {
            for (Strategy v : values()) {
                if (v.wire.equals(s)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("unknown user strategy \"" + s + "\" (expected any, id, name or re2)");
        }
    }
}
