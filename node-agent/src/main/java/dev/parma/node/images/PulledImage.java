package dev.parma.node.images;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A pulled image: manifest digest, config values, and one layer image per layer (the uncompressed layer tar,
 * zero-padded to 4 KiB blocks, which is what the guest's dm-verity check covers), base layer first.
 */
public record PulledImage(String reference, String manifestDigest, List<String> entrypoint, List<String> cmd,
        List<String> env, Optional<String> workingDir, Optional<String> user, List<Path> layers) {
}
