package dev.parma.node.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.guest.Frames;
import dev.parma.guest.Layers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/** A standard container run under host runc: its bundle, its runc id, and its own cgroup (see {@link Cgroups}). */
final class RuncRun implements ContainerRun {

    private static final Logger LOG = Logger.getLogger(RuncRun.class);

    private final Runc runc;
    private final String id;
    private final String runcId;
    private final Path bundle;
    private final String cgroup;
    private final Instant startedAt;
    private final Process process;
    private final ProcessHandle handle;
    private boolean cleaned;

    private RuncRun(Runc runc, String id, String runcId, Path bundle, String cgroup, Instant startedAt,
            Process process, ProcessHandle handle) {
        this.runc = runc;
        this.id = id;
        this.runcId = runcId;
        this.bundle = bundle;
        this.cgroup = cgroup;
        this.startedAt = startedAt;
        this.process = process;
        this.handle = handle;
    }

    /** Runs the bundle (config.json and rootfs already in place); output is appended to {@code log}. */
    static RuncRun start(Runc runc, String groupId, String id, Path bundle, Path log) throws IOException {
        String runcId = OciSpecs.shortName(groupId) + "_" + id;
        runc.delete(runcId); // a leftover of a crashed run would block the id
        Process p = runc.run(bundle, runcId, log, bundle.resolve("exit.code"));
        runc.awaitStarted(runcId, p.toHandle(), 30_000);
        return new RuncRun(runc, id, runcId, bundle, Cgroups.run(OciSpecs.groupCgroup(groupId), id), Instant.now(),
                p, p.toHandle());
    }

    /** Takes over a run a previous agent started; null if its shell is gone (see {@link #exitCodeOf}). */
    static RuncRun adopt(Runc runc, ObjectNode saved) {
        return ProcessHandle.of(saved.path("pid").asLong()).filter(ProcessHandle::isAlive)
                .map(h -> new RuncRun(runc, saved.path("id").asText(), saved.path("runcId").asText(),
                        Path.of(saved.path("bundle").asText()), saved.path("cgroup").asText(),
                        Instant.parse(saved.path("startedAt").asText()), null, h))
                .orElse(null);
    }

    /** The exit code a run that ended while no agent watched left behind, or null. */
    static Integer exitCodeOf(ObjectNode saved) {
        return Runc.exitCode(Path.of(saved.path("bundle").asText()).resolve("exit.code"));
    }

    /** A process exec'd into this run's container. */
    ExecStream exec(List<String> args) throws IOException {
        return new ProcessExecStream(runc.exec(runcId, args));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String runtime() {
        return "runc";
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public ProcessHandle handle() {
        return handle;
    }

    @Override
    public Integer exitCode() {
        if (process != null && !process.isAlive()) {
            return process.exitValue();
        }
        return handle.isAlive() ? null : Runc.exitCode(bundle.resolve("exit.code"));
    }

    @Override
    public long pid() {
        return handle.isAlive() ? runc.pid(runcId) : -1;
    }

    @Override
    public long cpuNanos() {
        return Cgroups.cpuNanos(cgroup);
    }

    @Override
    public void stop(Duration grace) {
        if (handle.isAlive()) {
            runc.kill(runcId, "TERM");
            if (!await(grace)) {
                runc.kill(runcId, "KILL");
                await(Duration.ofSeconds(5));
            }
        }
        runc.delete(runcId);
    }

    private boolean await(Duration d) {
        try {
            handle.onExit().get(d.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /**
     * Idempotent, and a second caller waits for the first: the exit watcher and a group's stop both clean up, and a
     * stop that returned while the watcher was still unmounting let the node report the group gone with its root
     * file system still mounted.
     */
    @Override
    public synchronized void cleanUp() {
        if (cleaned) {
            return;
        }
        cleaned = true;
        runc.delete(runcId);
        Cgroups.remove(cgroup);
        discard(bundle);
    }

    /** A run's bundle, gone: its root file system unmounted first (a mount left behind would leak for good). */
    static void discard(Path bundle) {
        try {
            Layers.release(bundle.resolve("rootfs"));
            Layers.delete(bundle);
        } catch (IOException e) {
            LOG.warnf("bundle %s not removed: %s", bundle,
                    e.getMessage());
        }
    }

    @Override
    public ObjectNode save() {
        ObjectNode o = Frames.object();
        o.put("runtime", "runc");
        o.put("id", id);
        o.put("runcId", runcId);
        o.put("pid", handle.pid());
        o.put("bundle", bundle.toString());
        o.put("cgroup", cgroup);
        o.put("startedAt", startedAt.toString());
        return o;
    }
}
