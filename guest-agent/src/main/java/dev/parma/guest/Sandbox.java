package dev.parma.guest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;

/**
 * The UVM's sandbox mounts: the group volumes, under the path a policy names them by
 * ({@code <sandbox>/tmp/atlas/emptydir/<name>}, {@code …/secretsVolume/<name>}). In a spec, the host names them
 * under {@link GuestAgent#SANDBOX_DIR}, which is what the policy judges; once allowed, the guest binds its own
 * directory there. Empty dirs are created on first use; secret volumes hold what the host wrote with
 * {@code writeVolume} (their contents are never echoed or logged).
 */
final class Sandbox {

    static final Map<String, String> KIND_DIRS = Map.of("emptyDir", "emptydir", "secret", "secretsVolume");

    private final Path root;

    Sandbox(Path uvmDir) {
        this.root = uvmDir.resolve("sandbox");
    }

    /** Writes a secret volume's files (base64 values), replacing what was there. */
    void write(String name, String kind, JsonNode files) throws IOException {
        String dir = KIND_DIRS.get(kind);
        if (!"secretsVolume".equals(dir)) {
            throw new IllegalArgumentException("only secret volumes are written by the host, not " + kind);
        }
        Path vol = volume(dir, name);
        OwnerOnly.directory(vol.getParent());
        Files.createDirectories(vol);
        // what the container sees keeps the modes its users need; the sandbox above is the guest's alone (0700)
        Files.setPosixFilePermissions(vol, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (var it = files.fields(); it.hasNext();) {
            var f = it.next();
            if (f.getKey().isEmpty() || f.getKey().contains("/") || f.getKey().startsWith(".")) {
                throw new IllegalArgumentException("bad secret file name");
            }
            Path file = vol.resolve(f.getKey());
            Files.write(file, Base64.getDecoder().decode(f.getValue().asText()));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /**
     * Rewrites the allowed spec's sandbox mounts to the guest's own directories (creating empty dirs); fails if a
     * secret volume was never written.
     */
    void bind(ObjectNode spec) throws IOException {
        for (JsonNode m : spec.path("mounts")) {
            String source = m.path("source").asText("");
            if (!source.startsWith(GuestAgent.SANDBOX_DIR + "/")) {
                continue;
            }
            Path local = root.resolve(source.substring(GuestAgent.SANDBOX_DIR.length() + 1)).normalize();
            if (!local.startsWith(root)) {
                throw new IllegalArgumentException("mount source escapes the sandbox: " + source);
            }
            if (local.getParent().getFileName().toString().equals("emptydir")) {
                OwnerOnly.directory(local.getParent());
                Files.createDirectories(local);
                Files.setPosixFilePermissions(local, PosixFilePermissions.fromString("rwxrwxrwx"));
            } else if (!Files.isDirectory(local)) {
                throw new IllegalStateException("volume " + local.getFileName() + " was not provided");
            }
            ((ObjectNode) m).put("source", local.toString());
        }
    }

    private Path volume(String kindDir, String name) {
        if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
            throw new IllegalArgumentException("bad volume name");
        }
        return root.resolve("tmp/atlas").resolve(kindDir).resolve(name);
    }
}
