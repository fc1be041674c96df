package dev.parma.node.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parma.guest.Frames;
import dev.parma.guest.OwnerOnly;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * runc on the host, for standard groups. A container runs as {@code runc run} in the foreground under a tiny shell
 * that writes runc's exit status (the container's) to a file: the agent gets the exit code from the process while
 * it lives, and from the file for a run it adopted after a restart. Output goes straight to the container's log file
 * and nothing is piped to the agent, so runs outlive an agent that is killed.
 */
final class Runc {

    private final String binary;
    private final Path root;

    private Runc(String binary, Path root) {
        this.binary = binary;
        this.root = root;
    }

    /** runc, if it is installed and this agent runs as root (rootless runc is not set up here). */
    static Optional<Runc> find(Path stateRoot) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.empty();
        }
        for (String d : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").concat(":/usr/sbin:/sbin")
                .split(":")) {
            Path p = Path.of(d, "runc");
            if (Files.isExecutable(p)) {
                return Optional.of(new Runc(p.toString(), stateRoot));
            }
        }
        return Optional.empty();
    }

    /** Starts {@code runc run} of a bundle; the process is the shell that waits for runc. */
    Process run(Path bundle, String id, Path log, Path exitFile) throws IOException {
        OwnerOnly.directory(root);
        Files.deleteIfExists(exitFile);
        // the umask is narrowed after runc ends, for the exit file only (runc's own files keep runc's modes)
        var pb = new ProcessBuilder("/bin/sh", "-c", "\"$@\"; rc=$?; umask 077; echo $rc > " + quote(exitFile)
                + "; exit $rc",
                "runc-run", binary, "--root", root.toString(), "run", "--bundle", bundle.toString(), id)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().keySet().removeIf(k -> !k.equals("PATH"));
        return pb.start();
    }

    /**
     * Waits until runc has started the container's process (its state exists and the exec FIFO that holds a
     * created container back is gone), or the run ended, or the timeout passed.
     */
    boolean awaitStarted(String id, ProcessHandle run, long timeoutMillis) {
        Path state = root.resolve(id);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < deadline && run.isAlive()) {
            if (Files.exists(state.resolve("state.json")) && !Files.exists(state.resolve("exec.fifo"))) {
                return true;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** The container's init pid as runc knows it, or -1 if it is not running. */
    long pid(String id) {
        try {
            JsonNode state = Frames.JSON.readTree(exec(List.of("state", id)));
            return "running".equals(state.path("status").asText()) ? state.path("pid").asLong(-1) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Starts {@code runc exec}: the process gets the container's env, cwd and user; its stdio is on pipes. */
    Process exec(String id, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(binary, "--root", root.toString(), "exec", id));
        cmd.addAll(args);
        var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> !k.equals("PATH"));
        return pb.start();
    }

    void kill(String id, String signal) {
        try {
            exec(List.of("kill", id, signal));
        } catch (IOException ignored) {
            // already stopped
        }
    }

    void delete(String id) {
        try {
            exec(List.of("delete", "--force", id));
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** The exit status a run's shell recorded, or null if it has none (yet). */
    static Integer exitCode(Path exitFile) {
        try {
            return Integer.valueOf(Files.readString(exitFile).trim());
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private String exec(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(binary, "--root", root.toString()));
        cmd.addAll(args);
        return dev.parma.guest.Commands.run(cmd, java.time.Duration.ofSeconds(30));
    }

    private static String quote(Path p) {
        return "'" + p.toString().replace("'", "'\\''") + "'";
    }
}
