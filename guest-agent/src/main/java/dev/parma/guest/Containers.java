package dev.parma.guest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The containers of this UVM. Under runc (when present) each container is an OCI bundle run in the foreground as
 * a child of the guest, so the guest sees its exit code; without runc a container is a chrooted (root) or plain
 * process, and the runtime field of its status says so.
 */
public final class Containers {

    /** Log tails are cut to the last 4 MB. */
    public static final int LOG_CAP = 4 * 1024 * 1024;

    private final Path dir;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final String runc = which("runc");

    /** A one-shot exec's end: its exit code (-1 if it was killed at its deadline) and its first output. */
    record ExecResult(int exitCode, String output, boolean timedOut) {
    }

    private static final class Entry {
        final String id;
        final ObjectNode spec;
        final Path log;
        final boolean stdio;
        final String runtime;
        Process process;
        Instant started;
        Instant finished;
        Integer exitCode;

        Entry(String id, ObjectNode spec, Path log, boolean stdio, String runtime) {
            this.id = id;
            this.spec = spec;
            this.log = log;
            this.stdio = stdio;
            this.runtime = runtime;
        }
    }

    Containers(Path dir) {
        this.dir = dir;
    }

    boolean hasRunc() {
        return runc != null;
    }

    synchronized String create(String id, ObjectNode spec, boolean stdio) throws IOException {
        if (entries.containsKey(id)) {
            throw new IllegalStateException("container " + id + " exists");
        }
        // the spec holds the environment (secure values too) and the log what the container said: the guest's alone
        Path bundle = OwnerOnly.directory(dir.resolve(GuestAgent.safe(id)));
        Path log = OwnerOnly.file(bundle.resolve("stdout.log"));
        OwnerOnly.write(bundle.resolve("config.json"), Frames.JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(spec));
        OwnerOnly.directory(dir.resolve("runc-state"));
        List<String> cmd;
        String runtime;
        boolean root = "root".equals(System.getProperty("user.name"));
        if (runc != null && root) {
            cmd = List.of(runc, "--root", dir.resolve("runc-state").toString(), "run", "--bundle", bundle.toString(),
                    id);
            runtime = "runc";
        } else {
            List<String> args = GuestAgent.strings(spec.path("process").path("args"));
            cmd = new ArrayList<>();
            if (root) {
                cmd.addAll(List.of("chroot", spec.path("root").path("path").asText()));
            }
            cmd.addAll(args);
            runtime = root ? "chroot (runc missing)" : "process (runc missing, not root)";
        }
        var pb = new ProcessBuilder(cmd).directory(bundle.toFile()).redirectErrorStream(true);
        if (!stdio) {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (!"runc".equals(runtime)) {
            pb.environment().clear();
            for (String kv : GuestAgent.strings(spec.path("process").path("env"))) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        }
        var e = new Entry(id, spec, log, stdio, runtime);
        e.process = pb.start();
        e.started = Instant.now();
        if (stdio) {
            pump(e.process.getInputStream(), log, id);
        }
        entries.put(id, e);
        e.process.onExit().thenAccept(p -> {
            exited(e, p.exitValue());
            release(e);
        });
        return runtime;
    }

    /**
     * Copies a container's output into its log, each line prefixed with the RFC 3339 time it was read (the guest
     * strips the prefix unless timestamps are asked for).
     */
    private static void pump(java.io.InputStream in, Path log, String id) {
        var t = new Thread(() -> {
            try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
                    var w = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
                String line;
                while ((line = r.readLine()) != null) {
                    w.write(Instant.now().toString());
                    w.write(' ');
                    w.write(line);
                    w.write('\n');
                    w.flush();
                }
            } catch (IOException ignored) {
                // the container or the log went away
            }
        }, "log-" + id);
        t.setDaemon(true);
        t.start();
    }

    private synchronized void exited(Entry e, int code) {
        e.exitCode = code;
        e.finished = Instant.now();
    }

    /** A container that ended gives up its root file system (its overlay mount and writable layer). */
    private static void release(Entry e) {
        synchronized (e) {
            try {
                Layers.release(Path.of(e.spec.path("root").path("path").asText()));
            } catch (IOException ex) {
                System.err.println("container " + e.id + ": root file system not released: " + ex.getMessage());
            }
        }
    }

    synchronized JsonNode process(String id) {
        var e = entries.get(id);
        return e == null ? null : e.spec.path("process");
    }

    synchronized boolean stdioAccess(String id) {
        var e = entries.get(id);
        return e != null && e.stdio;
    }

    /**
     * Runs a process in a running container to its end, or kills it (and what it started) at {@code timeout}: a hung
     * probe command must not hold a host request, nor its probe, for good. Output is read on its own thread, since a
     * process that keeps stdout open would otherwise block the read past any deadline.
     */
    ExecResult exec(String id, List<String> args, List<String> env, String cwd, Duration timeout) throws IOException {
        var p = new ProcessBuilder(execCommand(id, args, env, cwd)).redirectErrorStream(true).start();
        var out = CompletableFuture.supplyAsync(() -> {
            try (var in = p.getInputStream()) {
                return in.readNBytes(LOG_CAP);
            } catch (IOException closed) {
                return new byte[0];
            }
        }, r -> new Thread(r, "exec-output").start());
        boolean ended;
        try {
            ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            byte[] bytes = out.get(5, TimeUnit.SECONDS);
            return new ExecResult(ended ? p.exitValue() : -1, new String(bytes, StandardCharsets.UTF_8), !ended);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running an exec");
        } catch (ExecutionException | TimeoutException e) {
            return new ExecResult(p.isAlive() ? -1 : p.exitValue(), "", true);
        }
    }

    /** Starts a process in a running container with its stdio on pipes (stderr merged into stdout). */
    Process execStream(String id, List<String> args, List<String> env, String cwd) throws IOException {
        return new ProcessBuilder(execCommand(id, args, env, cwd)).redirectErrorStream(true).start();
    }

    private List<String> execCommand(String id, List<String> args, List<String> env, String cwd) {
        Entry e;
        synchronized (this) {
            e = entries.get(id);
        }
        if (e == null || e.exitCode != null) {
            throw new IllegalStateException("container " + id + " is not running");
        }
        List<String> cmd = new ArrayList<>();
        if ("runc".equals(e.runtime)) {
            cmd.addAll(List.of(runc, "--root", dir.resolve("runc-state").toString(), "exec", "--cwd", cwd));
            env.forEach(kv -> cmd.addAll(List.of("--env", kv)));
            cmd.add(id);
        }
        cmd.addAll(args);
        return cmd;
    }

    void signal(String id, int signal) throws IOException {
        Entry e;
        synchronized (this) {
            e = entries.get(id);
        }
        if (e == null || e.exitCode != null) {
            return;
        }
        if ("runc".equals(e.runtime)) {
            Layers.run(List.of(runc, "--root", dir.resolve("runc-state").toString(), "kill", id,
                    Integer.toString(signal)));
        } else {
            Layers.run(List.of("kill", "-" + signal, Long.toString(e.process.pid())));
        }
    }

    void stop(String id, long graceMillis) throws IOException {
        Entry e;
        synchronized (this) {
            e = entries.get(id);
        }
        if (e == null) {
            return;
        }
        if (e.exitCode == null) {
            signal(id, 15);
            try {
                if (!e.process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
                    signal(id, 9);
                    e.process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        if ("runc".equals(e.runtime)) {
            try {
                Layers.run(List.of(runc, "--root", dir.resolve("runc-state").toString(), "delete", "--force", id));
            } catch (IOException ignored) {
                // already gone
            }
        }
        release(e); // now, not only when the exit is noticed: the host may take the UVM down next
    }

    /** Stops every container (UVM shutdown). */
    void stopAll(long graceMillis) {
        List<String> ids;
        synchronized (this) {
            ids = new ArrayList<>(entries.keySet());
        }
        for (String id : ids) {
            try {
                stop(id, graceMillis);
            } catch (IOException ignored) {
                // best effort on the way down
            }
        }
    }

    /** The last {@code tail} lines (0 = all), at most the last 4 MB, optionally prefixed with read time. */
    String logs(String id, int tail, boolean timestamps) throws IOException {
        Entry e;
        synchronized (this) {
            e = entries.get(id);
        }
        if (e == null || !Files.exists(e.log)) {
            return "";
        }
        String text;
        try (var f = new RandomAccessFile(e.log.toFile(), "r")) {
            long len = f.length();
            long from = Math.max(0, len - LOG_CAP);
            byte[] buf = new byte[(int) (len - from)];
            f.seek(from);
            f.readFully(buf);
            text = new String(buf, StandardCharsets.UTF_8);
            if (from > 0) {
                int nl = text.indexOf('\n');
                text = nl >= 0 ? text.substring(nl + 1) : text;
            }
        }
        String[] lines = text.split("\n", -1);
        int n = lines.length - (text.endsWith("\n") ? 1 : 0);
        int start = tail > 0 ? Math.max(0, n - tail) : 0;
        var sb = new StringBuilder();
        for (int i = start; i < n; i++) {
            String line = lines[i];
            int sp = line.indexOf(' ');
            sb.append(timestamps || sp < 0 ? line : line.substring(sp + 1)).append('\n');
        }
        return sb.toString();
    }

    synchronized ArrayNode status() {
        ArrayNode arr = Frames.JSON.createArrayNode();
        for (var e : entries.values()) {
            ObjectNode o = arr.addObject();
            o.put("id", e.id);
            o.put("runtime", e.runtime);
            o.put("pid", e.process.pid());
            o.put("state", e.exitCode == null ? "Running" : "Terminated");
            o.put("startedAt", e.started.toString());
            if (e.exitCode != null) {
                o.put("exitCode", e.exitCode);
                o.put("finishedAt", e.finished.toString());
            }
        }
        return arr;
    }

    private static String which(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
