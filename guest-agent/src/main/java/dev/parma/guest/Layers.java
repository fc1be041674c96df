package dev.parma.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Unpacks verified layer images and stacks them into a container root file system. */
final class Layers {

    private Layers() {
    }

    /** Unpacks a verified (uncompressed) layer tar into an empty directory. */
    static void unpack(Path layerTar, Path into) throws IOException {
        delete(into);
        Files.createDirectories(into);
        run(List.of("tar", "-xf", layerTar.toString(), "-C", into.toString()));
    }

    /** Stacks layers base first into {@code rootfs} (a copy, so the layers stay pristine for other containers). */
    static void merge(List<Path> lower, Path rootfs) throws IOException {
        delete(rootfs);
        Files.createDirectories(rootfs);
        for (Path l : lower) {
            run(List.of("cp", "-a", l.toString() + "/.", rootfs.toString()));
        }
        for (String d : List.of("proc", "sys", "dev", "tmp", "etc")) {
            Files.createDirectories(rootfs.resolve(d));
        }
    }

    static void delete(Path p) throws IOException {
        if (Files.exists(p)) {
            run(List.of("rm", "-rf", p.toString()));
        }
    }

    static String run(List<String> cmd) throws IOException {
        return Commands.run(cmd, java.time.Duration.ofSeconds(60));
    }
}
