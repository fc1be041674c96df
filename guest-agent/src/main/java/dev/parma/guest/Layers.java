package dev.parma.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Container root file systems from layer images, for the guest and (for standard groups) the node: each verified
 * layer is unpacked once into a read-only directory, and a container's root file system is an overlay mount of its
 * layers (base lowest) with a writable layer of its own, so containers sharing a layer never see each other's
 * writes and nothing is copied. Where overlay mounts are refused (not root, no overlayfs) the layers are copied into
 * the root file system instead, after a single warning that says why.
 *
 * <p>
 * An unpacked layer is a directory holding {@code fs/} (the layer's files: the lower directory) and
 * {@code whiteouts} (what the layer deletes from the layers below it). OCI whiteouts are turned into overlayfs's
 * own at unpack time — a 0/0 character device for a deleted entry, {@code user.overlay.opaque} on a directory whose
 * lower contents are hidden (mounted with {@code userxattr}) — and listed in {@code whiteouts} for the copy.
 */
public final class Layers {

    private static final System.Logger LOG = System.getLogger(Layers.class.getName());
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    /** Directories every root file system has, whatever its image holds (runc mounts over them). */
    private static final List<String> RUNTIME_DIRS = List.of("proc", "sys", "dev", "tmp", "etc");
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    /** Why overlay mounts are not used, once a mount was refused; null while they work. */
    private static volatile String noOverlay;

    private Layers() {
    }

    /** Unpacks a (verified, uncompressed) layer tar into {@code into}, replacing whatever was there. */
    public static void unpack(Path layerTar, Path into) throws IOException {
        delete(into);
        // the layer's files keep their modes (containers need them); the directory holding them is the owner's
        Path fs = Files.createDirectories(OwnerOnly.directory(into).resolve("fs"));
        run(List.of("tar", "--numeric-owner", "-xpf", layerTar.toString(), "-C", fs.toString()));
        List<Path> markers;
        try (Stream<Path> all = Files.walk(fs)) {
            markers = all.filter(p -> p.getFileName().toString().startsWith(WHITEOUT)).toList();
        }
        // mknod needs root; without it overlays are not mounted either, and the list below is all the copy needs
        boolean overlayForm = root();
        var listed = new StringBuilder();
        for (Path marker : markers) {
            String name = marker.getFileName().toString();
            Path dir = marker.getParent();
            Files.delete(marker);
            if (name.equals(OPAQUE)) {
                listed.append("opaque ").append(fs.relativize(dir)).append('\n');
                if (overlayForm) {
                    Files.getFileAttributeView(dir, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                            .write("overlay.opaque", StandardCharsets.UTF_8.encode("y"));
                }
                continue;
            }
            Path hidden = dir.resolve(name.substring(WHITEOUT.length()));
            if (Files.exists(hidden, LinkOption.NOFOLLOW_LINKS)) {
                continue; // the layer's own entry wins over its whiteout of a lower one
            }
            listed.append("whiteout ").append(fs.relativize(hidden)).append('\n');
            if (overlayForm) {
                run(List.of("mknod", hidden.toString(), "c", "0", "0"));
            }
        }
        OwnerOnly.write(into.resolve("whiteouts"), listed.toString());
    }

    /**
     * Makes {@code rootfs} the union of the unpacked layers (base first): an overlay mount whose writable layer is
     * {@code <rootfs>.rw}, or a copy where overlays are refused. {@link #release} undoes either.
     *
     * @return whether it is an overlay mount
     */
    public static boolean mount(List<Path> layersBaseFirst, Path rootfs) throws IOException {
        release(rootfs);
        boolean overlay = false;
        if (noOverlay == null) {
            String refused = overlay(layersBaseFirst, rootfs);
            overlay = refused == null;
            if (!overlay) {
                refuseOverlays(refused);
            }
        }
        if (!overlay) {
            copy(layersBaseFirst, rootfs);
        }
        for (String d : RUNTIME_DIRS) {
            Files.createDirectories(rootfs.resolve(d));
        }
        return overlay;
    }

    private static synchronized void refuseOverlays(String why) {
        if (noOverlay == null) {
            noOverlay = why;
            LOG.log(System.Logger.Level.WARNING, "overlay root file systems are unavailable (" + why + "): every"
                    + " container's layers are copied into its root file system instead, which is slower");
        }
    }

    /** Mounts the overlay; null on success, else why it was refused. */
    private static String overlay(List<Path> layersBaseFirst, Path rootfs) throws IOException {
        if (!root()) {
            return "this process is not root";
        }
        Path upper = OwnerOnly.directory(writable(rootfs)).resolve("upper");
        Path work = writable(rootfs).resolve("work");
        Files.createDirectories(rootfs);
        Files.createDirectories(upper);
        // the upper directory is the container's "/" (its mode is what the container's users see); work is overlay's
        Files.setPosixFilePermissions(upper, PosixFilePermissions.fromString("rwxr-xr-x"));
        OwnerOnly.directory(work);
        var lower = new StringBuilder();
        for (int i = layersBaseFirst.size() - 1; i >= 0; i--) {
            lower.append(lower.length() == 0 ? "" : ":").append(layersBaseFirst.get(i).resolve("fs").toAbsolutePath());
        }
        try {
            run(List.of("mount", "-t", "overlay", "overlay", "-o", "userxattr,lowerdir=" + lower + ",upperdir="
                    + upper.toAbsolutePath() + ",workdir=" + work.toAbsolutePath(),
                    rootfs.toAbsolutePath()
                            .toString()));
            return null;
        } catch (IOException e) {
            delete(writable(rootfs));
            return e.getMessage();
        }
    }

    /** The copy: each layer's whiteouts applied to what is below it, then its files copied over. */
    static void copy(List<Path> layersBaseFirst, Path rootfs) throws IOException {
        delete(rootfs);
        Files.createDirectories(rootfs);
        for (Path layer : layersBaseFirst) {
            List<String[]> whiteouts = Files.readAllLines(layer.resolve("whiteouts")).stream()
                    .filter(l -> !l.isEmpty()).map(l -> l.split(" ", 2)).toList();
            for (String[] w : whiteouts) {
                Path p = inside(rootfs, w[1]);
                if (p != null && w[0].equals("opaque")) {
                    emptyDirectory(p);
                } else if (p != null) {
                    delete(p);
                }
            }
            // tar, not cp: an entry replaces what a lower layer had there, even a symbolic link to a directory
            run(List.of("sh", "-c", "tar -C \"$1\" -cf - . | tar -C \"$2\" --numeric-owner -xpf -", "copy",
                    layer.resolve("fs").toString(), rootfs.toString()));
            for (String[] w : whiteouts) {
                Path p = inside(rootfs, w[1]);
                if (p != null && w[0].equals("whiteout")) {
                    delete(p); // the overlay whiteout device the copy brought along
                }
            }
        }
    }

    /** Unmounts a root file system made by {@link #mount} (if mounted) and deletes it with its writable layer. */
    public static void release(Path rootfs) throws IOException {
        unmount(rootfs);
        delete(rootfs);
        delete(writable(rootfs));
    }

    /** Unmounts everything mounted at or below {@code dir}, deepest first (a UVM that is gone, a crash's leftovers). */
    public static void unmountUnder(Path dir) throws IOException {
        for (Path m : mountsUnder(dir).stream().sorted(Comparator.comparing(Path::getNameCount).reversed()).toList()) {
            unmount(m);
        }
    }

    /** Mount points at or below {@code dir}, as this process's mount table lists them. */
    public static List<Path> mountsUnder(Path dir) throws IOException {
        Path d = dir.toAbsolutePath().normalize();
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length > 4) {
                Path point = Path.of(unescape(f[4]));
                if (point.startsWith(d)) {
                    out.add(point);
                }
            }
        }
        return out;
    }

    private static void unmount(Path point) throws IOException {
        Path p = point.toAbsolutePath().normalize();
        if (!mountsUnder(p).contains(p)) {
            return;
        }
        try {
            run(List.of("umount", p.toString()));
        } catch (IOException busy) {
            if (mountsUnder(p).contains(p)) {
                // still in use by a process on its way out: detach now, the kernel finishes when it lets go
                run(List.of("umount", "-l", p.toString()));
            }
        }
    }

    /** Deletes a file or tree, never crossing into a mount (a root file system still mounted fails instead). */
    public static void delete(Path p) throws IOException {
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            run(List.of("rm", "-rf", "--one-file-system", p.toString()));
        }
    }

    public static String run(List<String> cmd) throws IOException {
        return Commands.run(cmd, TIMEOUT);
    }

    private static Path writable(Path rootfs) {
        return rootfs.resolveSibling(rootfs.getFileName() + ".rw");
    }

    /**
     * A path inside the root file system, or null if a layer's entry would reach outside it — through {@code ..} or
     * through a symbolic link a lower layer put on the way.
     */
    private static Path inside(Path rootfs, String relative) throws IOException {
        Path p = rootfs.resolve(relative).normalize();
        if (p.equals(rootfs)) {
            return p; // an opaque root: nothing below shows
        }
        if (!p.startsWith(rootfs) || !Files.exists(p.getParent(), LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return p.getParent().toRealPath().startsWith(rootfs.toRealPath()) ? p : null;
    }

    private static void emptyDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    delete(p);
                }
            }
        }
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String s) {
        var b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }
}
