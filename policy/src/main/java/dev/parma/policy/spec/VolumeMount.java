package dev.parma.policy.spec;

import dev.parma.policy.Require;

/** A volume mounted into a container at {@code mountPath}. */
public record VolumeMount(String volumeName, VolumeKind kind, String mountPath, boolean readOnly) {

    public VolumeMount {
        Require.nonNull(volumeName, "volumeName");
        Require.nonNull(kind, "kind");
        Require.nonNull(mountPath, "mountPath");
        if (!mountPath.startsWith("/")) {
            throw new IllegalArgumentException("mountPath must be absolute: \"" + mountPath + "\"");
        }
    }

    /** ACI volume kinds; each maps to a sandbox directory in the platform contract. */
    public enum VolumeKind {
        AZURE_FILE, SECRET, EMPTY_DIR, GIT_REPO
    }
}
