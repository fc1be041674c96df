package dev.parma.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Container root file systems from layer tars: an overlay mount of read-only unpacked layers, OCI whiteouts honoured,
 * layers untouched by what containers write, nothing left mounted. Needs root (as the runc tests do): without it the
 * overlay tests fail, they are not skipped.
 */
class LayersTest {

    @TempDir
    Path tmp;
    Path base;
    Path top;

    @BeforeEach
    void twoLayers() throws IOException {
        // base: /bin/tool, /etc/passwd, /etc/old, /data/{a,b}; top: /etc/passwd changed, /etc/old deleted, /data opaque
        Path b = tmp.resolve("src-base");
        write(b.resolve("bin/tool"), "tool v1\n");
        write(b.resolve("etc/passwd"), "root:x:0:0\n");
        write(b.resolve("etc/old"), "old\n");
        write(b.resolve("data/a"), "a\n");
        write(b.resolve("data/b"), "b\n");
        Path t = tmp.resolve("src-top");
        write(t.resolve("etc/passwd"), "root:x:0:0\napp:x:1000:1000\n");
        write(t.resolve("etc/.wh.old"), "");
        write(t.resolve("data/.wh..wh..opq"), "");
        write(t.resolve("data/c"), "c\n");
        base = unpack(b, "base");
        top = unpack(t, "top");
    }

    @AfterEach
    void nothingLeftMounted() throws IOException {
        Layers.unmountUnder(tmp);
    }

    @Test
    void aRootFileSystemIsAnOverlayOfTheLayersWithTheirWhiteoutsApplied() throws IOException {
        Path rootfs = tmp.resolve("c1/rootfs");
        assertThat(Layers.mount(List.of(base, top), rootfs)).as("an overlay mount, not a copy").isTrue();
        assertThat(Layers.mountsUnder(tmp)).containsExactly(rootfs);
        assertThat(Files.readString(rootfs.resolve("etc/passwd"))).contains("app:x:1000");
        assertThat(rootfs.resolve("etc/old")).doesNotExist();
        assertThat(tree(rootfs.resolve("data"))).containsOnlyKeys("c");
        assertThat(Files.readString(rootfs.resolve("bin/tool"))).isEqualTo("tool v1\n");
        assertThat(rootfs.resolve("proc")).isDirectory();
        assertThat(Files.readAllLines(top.resolve("whiteouts"))).containsExactlyInAnyOrder("whiteout etc/old",
                "opaque data");
    }

    @Test
    void theCopyFallbackShowsTheSameFilesAsTheOverlay() throws IOException {
        Path overlay = tmp.resolve("o/rootfs");
        Path copy = tmp.resolve("k/rootfs");
        Layers.mount(List.of(base, top), overlay);
        Layers.copy(List.of(base, top), copy);
        Files.createDirectories(copy.resolve("proc"));
        for (String d : List.of("sys", "dev", "tmp")) {
            Files.createDirectories(copy.resolve(d));
        }
        assertThat(tree(copy)).isEqualTo(tree(overlay));
    }

    @Test
    void whatAContainerWritesStaysInItsOwnRootFileSystemAndLeavesTheLayersPristine() throws IOException {
        Map<String, String> layersBefore = tree(tmp.resolve("layers"));
        Path one = tmp.resolve("c1/rootfs");
        Path two = tmp.resolve("c2/rootfs");
        Layers.mount(List.of(base, top), one);
        Layers.mount(List.of(base, top), two);

        Files.writeString(one.resolve("bin/tool"), "tampered\n");
        Files.writeString(one.resolve("new-file"), "mine\n");
        Files.delete(one.resolve("etc/passwd"));

        assertThat(Files.readString(two.resolve("bin/tool"))).isEqualTo("tool v1\n");
        assertThat(two.resolve("new-file")).doesNotExist();
        assertThat(two.resolve("etc/passwd")).exists();
        assertThat(tree(tmp.resolve("layers"))).as("the unpacked layers").isEqualTo(layersBefore);

        Layers.release(one);
        assertThat(Layers.mountsUnder(tmp)).containsExactly(two);
        assertThat(one).doesNotExist();
        assertThat(tmp.resolve("c1/rootfs.rw")).as("the writable layer goes with it").doesNotExist();
        // a new root file system on the same layers starts from the layers, not from the last container's writes
        Layers.mount(List.of(base, top), one);
        assertThat(Files.readString(one.resolve("bin/tool"))).isEqualTo("tool v1\n");
        Layers.release(one);
        Layers.release(two);
        assertThat(Layers.mountsUnder(tmp)).isEmpty();
    }

    @Test
    void unmountUnderTakesDownEveryMountBelowADirectory() throws IOException {
        Layers.mount(List.of(base), tmp.resolve("uvm/rootfs/a"));
        Layers.mount(List.of(base, top), tmp.resolve("uvm/rootfs/b"));
        assertThat(Layers.mountsUnder(tmp.resolve("uvm"))).hasSize(2);
        Layers.unmountUnder(tmp.resolve("uvm"));
        assertThat(Layers.mountsUnder(tmp)).isEmpty();
    }

    @Test
    void aWhiteoutCannotReachOutsideTheRootFileSystemThroughALowerLayersLink() throws IOException {
        Path outside = tmp.resolve("host");
        write(outside.resolve("victim"), "keep me\n");
        Path l1 = tmp.resolve("src-link");
        Files.createDirectories(l1);
        Files.createSymbolicLink(l1.resolve("escape"), outside);
        Path l2 = tmp.resolve("src-whiteout");
        write(l2.resolve("escape/.wh.victim"), "");
        Path rootfs = tmp.resolve("c/rootfs");
        Layers.copy(List.of(unpack(l1, "link"), unpack(l2, "whiteout")), rootfs);
        assertThat(outside.resolve("victim")).hasContent("keep me");
    }

    private Path unpack(Path src, String name) throws IOException {
        Path tar = tmp.resolve(name + ".tar");
        Layers.run(List.of("tar", "-cf", tar.toString(), "-C", src.toString(), "."));
        Path into = tmp.resolve("layers").resolve(name);
        Layers.unpack(tar, into);
        return into;
    }

    /** Every entry below {@code dir}: its content for files, its kind otherwise. */
    private static Map<String, String> tree(Path dir) throws IOException {
        var out = new TreeMap<String, String>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(p -> !p.equals(dir)).toList()) {
                String kind = Files.isSymbolicLink(p)
                        ? "link"
                        : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                                ? "dir"
                                : Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.readString(p) : "special";
                out.put(dir.relativize(p).toString(), kind);
            }
        }
        return out;
    }

    private static void write(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}
