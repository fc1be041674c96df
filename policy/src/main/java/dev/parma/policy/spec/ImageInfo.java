package dev.parma.policy.spec;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.parma.policy.Require;

/**
 * What generation needs from an image: its config and the dm-verity root hash of each layer, base layer first (see
 * {@code dev.parma.policy.verity.VerityHash} for computing one from an ext4 layer image).
 */
public record ImageInfo(String reference, Optional<List<String>> entrypoint, Optional<List<String>> cmd,
        List<String> env, Optional<String> workingDir, List<String> layerHashes) {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public ImageInfo {
        Require.nonNull(reference, "reference");
        entrypoint = Require.nonNull(entrypoint, "entrypoint").map(List::copyOf);
        cmd = Require.nonNull(cmd, "cmd").map(List::copyOf);
        env = Require.list(env, "env");
        Require.nonNull(workingDir, "workingDir");
        layerHashes = Require.list(layerHashes, "layerHashes");
        if (layerHashes.isEmpty()) {
            throw new IllegalArgumentException("image " + reference + " has no layer hashes");
        }
        for (int i = 0; i < layerHashes.size(); i++) {
            if (!HEX64.matcher(layerHashes.get(i)).matches()) {
                throw new IllegalArgumentException("image " + reference + " layer " + i
                        + ": not a lowercase 64-hex dm-verity root hash: \"" + layerHashes.get(i) + "\"");
            }
        }
    }

    /** entrypoint followed by cmd, as the runtime composes them. */
    public List<String> defaultArgv() {
        List<String> argv = new java.util.ArrayList<>(entrypoint.orElse(List.of()));
        argv.addAll(cmd.orElse(List.of()));
        return argv;
    }
}
