package dev.parma.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Assertions on the modes of the node's work files: what holds a group's command or secrets is the agent's alone. */
public final class WorkFiles {

    private WorkFiles() {
    }

    /** The file is 0600 and every directory from {@code top} down to it is 0700. */
    public static void ownerOnly(Path top, Path file) throws IOException {
        assertThat(file).startsWith(top);
        assertThat(mode(file)).as(file.toString()).isEqualTo("rw-------");
        for (Path d = file.getParent(); d.startsWith(top); d = d.getParent()) {
            assertThat(mode(d)).as(d.toString()).isEqualTo("rwx------");
        }
    }

    public static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
