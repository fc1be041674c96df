package dev.parma.contracts.node;

import java.util.Objects;

/**
 * An environment variable for a container. Secure values travel to the node (it must run them) but are never
 * printed: {@link #toString()} redacts them, so logging a command cannot leak one.
 */
public record EnvVar(String name, String value, boolean secure) {

    public EnvVar {
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return "EnvVar[name=" + name + ", value=" + (secure ? "<redacted>" : value) + ", secure=" + secure + "]";
    }
}
