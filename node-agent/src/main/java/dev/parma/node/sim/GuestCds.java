package dev.parma.node.sim;

import dev.parma.guest.OwnerOnly;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The guest's class-data-sharing archive: the classes a UVM loads on its way to its first container (Jackson, the
 * policy engine, snp, BouncyCastle…), pre-parsed, so each guest JVM maps them instead of loading them. It is made
 * once per image version by a training run ({@code dev.parma.guest.GuestTraining}) and kept next to the simulated
 * authority, so the nodes sharing that directory share it too — and with it the UVM measurement, since the archive
 * is a measured part of the image (archives are not reproducible byte for byte: nodes that do not share the file
 * measure differently). If it cannot be made the UVM launches without it.
 */
public final class GuestCds {

    private static final Logger LOG = Logger.getLogger(GuestCds.class);

    private GuestCds() {
    }

    /** The archive for this image in {@code dir}, made now if missing; empty if the training run failed. */
    public static synchronized Optional<Path> ensure(UvmImage image, List<String> jvmArgs, Path dir) {
        if (image.classpath().stream().anyMatch(Files::isDirectory)) {
            // class-data sharing maps jars only; a class directory (an IDE or test run) launches without it
            LOG.info("the guest image has class directories: no guest CDS archive");
            return Optional.empty();
        }
        Path archive = dir.resolve("guest-" + image.fingerprint().substring(0, 16) + ".jsa");
        if (Files.exists(archive)) {
            return Optional.of(archive);
        }
        long t0 = System.nanoTime();
        Path scratch = null;
        try {
            OwnerOnly.directory(dir);
            scratch = Files.createTempDirectory("parma-guest-training");
            Path tmp = dir.resolve(archive.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmArgs);
            cmd.addAll(List.of("-XX:ArchiveClassesAtExit=" + tmp, "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-cp",
                    image.classpathString(), "dev.parma.guest.GuestTraining", scratch.toString()));
            Path log = OwnerOnly.file(dir.resolve("guest-training.log"));
            var p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("the training run did not finish in 180 s");
            }
            if (p.exitValue() != 0 || !Files.exists(tmp)) {
                throw new IOException("the training run failed (exit " + p.exitValue() + "); see " + log);
            }
            OwnerOnly.narrow(tmp);
            try {
                // never replace an archive another node already measured: the first one made wins
                Files.createLink(archive, tmp);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                LOG.info("another node made the guest CDS archive meanwhile; using that one");
            } finally {
                Files.deleteIfExists(tmp);
            }
            LOG.infof("guest CDS archive %s made in %d ms", archive, (System.nanoTime() - t0) / 1_000_000);
            return Optional.of(archive);
        } catch (IOException e) {
            LOG.warnf("no guest CDS archive (UVMs start without it): %s", e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (scratch != null) {
                try {
                    dev.parma.guest.Layers.delete(scratch);
                } catch (IOException ignored) {
                    // a temp directory
                }
            }
        }
    }
}
