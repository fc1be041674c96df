package dev.parma.policy.spec;

import dev.parma.policy.Require;

/**
 * An environment variable. A secure value is not known when the policy is written (it is a secret), so the policy
 * requires the variable to be present with any value instead of pinning the value.
 */
public record EnvVar(String name, String value, boolean secure) {

    public EnvVar {
        Require.nonNull(name, "name");
        Require.nonNull(value, "value");
        if (name.isEmpty() || name.contains("=")) {
            throw new IllegalArgumentException("invalid environment variable name \"" + name + "\"");
        }
    }

    public static EnvVar plain(String name, String value) {
        return new EnvVar(name, value, false);
    }

    public static EnvVar secure(String name) {
        return new EnvVar(name, "", true);
    }
}
