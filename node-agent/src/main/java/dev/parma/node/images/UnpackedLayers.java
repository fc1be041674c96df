package dev.parma.node.images;

import dev.parma.guest.Layers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pulled layer images unpacked once, next to the image, for standard groups: each is a read-only lower layer of the
 * overlay root file systems of every container that uses it ({@link Layers}). An unpack is published by renaming
 * its finished directory, so a crash mid-unpack leaves nothing that looks complete.
 */
public final class UnpackedLayers {

    private static final ConcurrentHashMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private UnpackedLayers() {
    }

    /** The unpacked layers of an image's layer images, in the same order (base first). */
    public static List<Path> of(List<Path> layerImages) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path image : layerImages) {
            out.add(of(image));
        }
        return out;
    }

    private static Path of(Path image) throws IOException {
        String name = image.getFileName().toString().replaceFirst("\\.img$", "");
        Path dir = image.resolveSibling(name + ".unpacked");
        synchronized (LOCKS.computeIfAbsent(dir, d -> new Object())) {
            if (!Files.isDirectory(dir)) {
                Path tmp = image.resolveSibling(name + ".unpacking");
                Layers.unpack(image, tmp);
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            }
            return dir;
        }
    }
}
