package dev.parma.guest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only their owner can read: what the node agent and the guest keep in their work directories (state files
 * holding a group's command with its secure values, OCI specs with the environment, logs, layer images, keys) is
 * 0600, its directories 0700, so no other user of the machine reads any of it. Modes are set at creation, so there
 * is no moment at a wider one, and an existing path is narrowed as well. What a container itself sees (its root file
 * system, its volumes) keeps the modes its users need and sits below such a directory.
 */
public final class OwnerOnly {

    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final FileAttribute<Set<PosixFilePermission>> FILE_ATTR = PosixFilePermissions.asFileAttribute(FILE);
    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY_ATTR = PosixFilePermissions
            .asFileAttribute(DIRECTORY);

    private OwnerOnly() {
    }

    /**
     * The directory, created with its missing parents at 0700; an existing one is narrowed to 0700 (its existing
     * parents are left as they are: they may be the machine's, like /tmp).
     */
    public static Path directory(Path dir) throws IOException {
        Files.createDirectories(dir, DIRECTORY_ATTR);
        Files.setPosixFilePermissions(dir, DIRECTORY);
        return dir;
    }

    /** Writes the file at 0600, replacing its contents (an existing file is narrowed before anything is written). */
    public static void write(Path file, byte[] bytes) throws IOException {
        try (var ch = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                FILE_ATTR)) {
            Files.setPosixFilePermissions(file, FILE);
            ch.truncate(0);
            var buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }

    public static void write(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The file, created empty at 0600 if missing (for output another process appends), else narrowed to 0600. */
    public static Path file(Path file) throws IOException {
        try (var ch = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                FILE_ATTR)) {
            Files.setPosixFilePermissions(file, FILE);
        }
        return file;
    }

    /** Narrows a path someone else created (a socket bound here, a file a tool wrote) to 0600. */
    public static void narrow(Path file) throws IOException {
        Files.setPosixFilePermissions(file, FILE);
    }
}
