package dev.parma.node.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Unpacks a pulled image's layer images, base first, into a container root file system, applying OCI whiteouts
 * ({@code .wh.<name>} deletes a lower layer's entry, {@code .wh..wh..opq} empties a lower layer's directory).
 */
public final class RootFs {

    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    private RootFs() {
    }

    public static void unpack(List<Path> layers, Path rootfs) throws IOException {
        delete(rootfs);
        Files.createDirectories(rootfs);
        for (Path layer : layers) {
            for (String entry : run(List.of("tar", "-tf", layer.toString())).split("\n")) {
                String e = entry.startsWith("./") ? entry.substring(2) : entry;
                int slash = e.lastIndexOf('/', e.endsWith("/") ? e.length() - 2 : e.length());
                String dir = slash < 0 ? "" : e.substring(0, slash + 1);
                String name = e.substring(slash + 1);
                if (name.equals(OPAQUE)) {
                    emptyDirectory(inside(rootfs, dir));
                } else if (name.startsWith(WHITEOUT)) {
                    delete(inside(rootfs, dir + name.substring(WHITEOUT.length())));
                }
            }
            run(List.of("tar", "--numeric-owner", "-xpf", layer.toString(), "-C", rootfs.toString()));
            try (Stream<Path> all = Files.walk(rootfs)) {
                for (Path p : all.filter(p -> p.getFileName().toString().startsWith(WHITEOUT)).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        for (String d : List.of("proc", "sys", "dev", "tmp", "etc")) {
            Files.createDirectories(rootfs.resolve(d));
        }
    }

    /** A path inside the root file system; a layer cannot name anything outside it. */
    private static Path inside(Path rootfs, String relative) throws IOException {
        Path p = rootfs.resolve(relative).normalize();
        if (!p.startsWith(rootfs)) {
            throw new IOException("layer entry " + relative + " escapes the root file system");
        }
        return p;
    }

    private static void emptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                delete(p);
            }
        }
    }

    public static void delete(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static String run(List<String> cmd) throws IOException {
        return dev.parma.guest.Commands.run(cmd, java.time.Duration.ofSeconds(120));
    }
}
