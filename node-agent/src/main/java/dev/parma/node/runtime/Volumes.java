package dev.parma.node.runtime;

import dev.parma.contracts.node.ContainerWorkload;
import dev.parma.contracts.node.GroupWorkload;
import dev.parma.contracts.node.Volume;
import dev.parma.contracts.node.VolumeMount;
import dev.parma.guest.GuestAgent;
import dev.parma.guest.OwnerOnly;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The group volumes a container mounts. A standard group gets host directories under
 * {@code <group>/volumes/<name>} (an empty dir shared by the group's containers; a secret volume's files written
 * there); a confidential group names them by the sandbox paths its policy allows, and the guest provides them.
 * Secret contents are written to files and never logged or put in events.
 */
final class Volumes {

    /** A container mounts a volume this node cannot provide: ACI's {@code FailedMount}. */
    static final class FailedMount extends Exception {
        FailedMount(String message) {
            super(message);
        }
    }

    private Volumes() {
    }

    /** The volumes a container mounts, checked: each exists and is a kind this node provides. */
    static Map<String, Volume> mounted(GroupWorkload w, ContainerWorkload c) throws FailedMount {
        Map<String, Volume> out = new LinkedHashMap<>();
        for (VolumeMount m : c.volumeMounts()) {
            Volume v = w.volume(m.name()).orElseThrow(() -> new FailedMount("volume '" + m.name()
                    + "' is not defined in the group"));
            if (v.kind() != Volume.Kind.EMPTY_DIR && v.kind() != Volume.Kind.SECRET) {
                throw new FailedMount("volume '" + m.name() + "' is of kind " + v.kind()
                        + ", which this node cannot mount");
            }
            out.put(v.name(), v);
        }
        return out;
    }

    /** Host directories for a standard container's volumes (created, secret files written), by volume name. */
    static Map<String, String> onHost(GroupWorkload w, ContainerWorkload c, Path groupDir)
            throws FailedMount, IOException {
        Map<String, String> sources = new LinkedHashMap<>();
        // what a volume holds keeps the modes the containers' users need; the directory above it is the agent's alone
        Path root = OwnerOnly.directory(groupDir.resolve("volumes"));
        for (Volume v : mounted(w, c).values()) {
            Path dir = root.resolve(safe(v.name()));
            Files.createDirectories(dir);
            if (v.kind() == Volume.Kind.EMPTY_DIR) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            } else {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                for (var f : v.secret().entrySet()) {
                    Path file = dir.resolve(safe(f.getKey()));
                    Files.write(file, Base64.getDecoder().decode(f.getValue()));
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
            sources.put(v.name(), dir.toAbsolutePath().toString());
        }
        return sources;
    }

    /** The sandbox path a policy allows for a volume ({@code PlatformContract.VOLUME_SOURCES}), by volume name. */
    static Map<String, String> inSandbox(GroupWorkload w, ContainerWorkload c) throws FailedMount {
        Map<String, String> sources = new LinkedHashMap<>();
        for (Volume v : mounted(w, c).values()) {
            sources.put(v.name(), GuestAgent.SANDBOX_DIR + "/tmp/atlas/" + (v.kind() == Volume.Kind.SECRET
                    ? "secretsVolume"
                    : "emptydir") + "/" + safe(v.name()));
        }
        return sources;
    }

    private static String safe(String name) throws FailedMount {
        if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
            throw new FailedMount("volume or file name '" + name + "' is not allowed");
        }
        return name;
    }
}
