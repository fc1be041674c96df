package dev.parma.policy.model;

import dev.parma.policy.Require;

/**
 * One environment-variable rule. {@link Whole} matches the full {@code NAME=value}; {@link Split} (a later hcsshim
 * form) matches name and value separately, the variable being split at its first {@code =}.
 */
public sealed interface EnvRule {

    /** A required rule must be matched by at least one variable of the request. */
    boolean required();

    record Whole(String pattern, MatchStrategy strategy, boolean required) implements EnvRule {
        public Whole {
            Require.nonNull(pattern, "pattern");
            Require.nonNull(strategy, "strategy");
        }
    }

    record Split(String name, MatchStrategy nameStrategy, String value, MatchStrategy valueStrategy,
            boolean required) implements EnvRule {
        public Split {
            Require.nonNull(name, "name");
            Require.nonNull(nameStrategy, "nameStrategy");
            Require.nonNull(value, "value");
            Require.nonNull(valueStrategy, "valueStrategy");
        }
    }
}
