package dev.parma.contracts.node;

import java.util.Objects;

/** A group volume mounted into a container at {@code mountPath} (absolute), read-only or not. */
public record VolumeMount(String name, String mountPath, boolean readOnly) {

    public VolumeMount {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mountPath, "mountPath");
    }
}
