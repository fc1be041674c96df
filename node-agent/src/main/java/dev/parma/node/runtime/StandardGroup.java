package dev.parma.node.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.contracts.node.ContainerState;
import dev.parma.contracts.node.ContainerStatus;
import dev.parma.contracts.node.ContainerWorkload;
import dev.parma.contracts.node.GroupRuntimeState;
import dev.parma.contracts.node.GroupStatus;
import dev.parma.contracts.node.GroupWorkload;
import dev.parma.contracts.node.InstanceEvent;
import dev.parma.contracts.node.Isolation;
import dev.parma.contracts.node.StartGroup;
import dev.parma.guest.Frames;
import dev.parma.guest.HostCapabilities;
import dev.parma.guest.Layers;
import dev.parma.guest.OwnerOnly;
import dev.parma.node.images.PulledImage;
import dev.parma.node.images.Registry;
import dev.parma.node.images.UnpackedLayers;
import dev.parma.node.messaging.NodeEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A standard group: no UVM, no policy. Each container's image is pulled from the OCI registry, its layers stacked
 * into an overlay root file system (each layer unpacked once per node) and run under runc as an OCI bundle with cgroup limits from its requests (the same spec a
 * confidential group's guest would judge). Where runc is missing the container's command runs as a host process
 * instead. Exits are reported and restarted per the group's restart policy, with a back-off that grows.
 */
final class StandardGroup implements GroupRuntime {

    private static final Logger LOG = Logger.getLogger(StandardGroup.class);
    private static final int MAX_BACKOFF_SECONDS = 30;

    private final String nodeId;
    private final String groupId;
    private final long generation;
    private final GroupWorkload workload;
    private final Path dir;
    private final NodeEvents out;
    private final Registry registry;
    private final Optional<Runc> runc;
    private final Overhead overhead;
    private final ScheduledExecutorService timers;
    private final ExecutorService work;
    private final Probes probes;
    private final Map<String, Container> containers = new LinkedHashMap<>();
    private boolean stopping;

    /** Per-container bookkeeping, guarded by the group's monitor. */
    private static final class Container {
        final ContainerWorkload spec;
        ContainerRun run;
        int attempt;
        ContainerState current = ContainerState.waiting("Starting");
        ContainerState previous;
        int restartCount;
        boolean restartPending;
        long lastCpuNanos;
        long lastSampleNanos;
        long wallCountedNanos;
        /** Whether the current run's cost is in the overhead summary. */
        boolean accounted;

        Container(ContainerWorkload spec) {
            this.spec = spec;
        }
    }

    StandardGroup(String nodeId, StartGroup command, Path dir, NodeEvents out, Registry registry, Optional<Runc> runc,
            Overhead overhead, ScheduledExecutorService timers, ExecutorService work, Probes probes) {
        this.nodeId = nodeId;
        this.groupId = command.groupId();
        this.generation = command.generation();
        this.workload = command.workload();
        this.dir = dir;
        this.out = out;
        this.registry = registry;
        this.runc = runc;
        this.overhead = overhead;
        this.timers = timers;
        this.work = work;
        this.probes = probes;
        workload.containers().forEach(c -> containers.put(c.name(), new Container(c)));
    }

    @Override
    public long generation() {
        return generation;
    }

    @Override
    public GroupWorkload workload() {
        return workload;
    }

    @Override
    public void start() {
        // pulls and unpacking take a while: not on the thread that reads the node's commands
        containers.values().forEach(c -> work.submit(() -> launch(c)));
    }

    private Path log(Container c) {
        return dir.resolve(c.spec.name()).resolve("stdout.log");
    }

    private void launch(Container c) {
        var events = new ArrayList<InstanceEvent>();
        synchronized (this) {
            if (stopping) {
                return;
            }
            c.restartPending = false;
            if ("Terminated".equals(c.current.state())) {
                c.previous = c.current; // ACI shows the last termination as previousState after a restart
            }
        }
        String name = c.spec.name();
        ContainerRun run;
        try {
            // the group's files (specs with its environment, logs, state) are the agent's alone
            OwnerOnly.directory(dir.resolve(name));
            OwnerOnly.file(log(c));
            if (runc.isPresent()) {
                PulledImage image = ImagePulls.pull(registry, name, c.spec.image(), events, e -> {
                    synchronized (this) {
                        c.current = ContainerState.waiting(ImagePulls.BACK_OFF);
                    }
                    report(e);
                }, this::isStopping);
                Map<String, String> volumes = Volumes.onHost(workload, c.spec, dir);
                String id = name + "-" + nextAttempt(c);
                Path bundle = dir.resolve(name).resolve(id);
                Path rootfs = OwnerOnly.directory(bundle).resolve("rootfs");
                Layers.mount(UnpackedLayers.of(image.layers()), rootfs);
                try {
                    ObjectNode spec = OciSpecs.spec(groupId, id, c.spec, image, volumes);
                    ((ObjectNode) spec.path("root")).put("path", rootfs.toAbsolutePath().toString());
                    unavailableCapabilities(name, HostCapabilities.restrict((ObjectNode) spec.path("process")),
                            events);
                    OwnerOnly.write(bundle.resolve("config.json"), Frames.JSON.writeValueAsString(spec));
                    run = RuncRun.start(runc.get(), groupId, id, bundle, log(c));
                } catch (IOException | RuntimeException e) {
                    Layers.release(rootfs);
                    throw e;
                }
            } else if (c.spec.command().isEmpty()) {
                synchronized (this) {
                    c.current = ContainerState.waiting("CommandRequired");
                }
                events.add(InstanceEvent.warning(name, "Failed", "Container '" + name + "' has no command; image"
                        + " entrypoints need runc, which this node does not have.", Instant.now()));
                report(events);
                return;
            } else {
                run = HostProcessRun.start(name + "-" + nextAttempt(c), c.spec, dir.resolve(name), log(c));
            }
        } catch (ImagePulls.PullFailed e) {
            synchronized (this) {
                c.current = ContainerState.waiting(ImagePulls.FAILED);
            }
            report(events);
            return;
        } catch (Volumes.FailedMount e) {
            synchronized (this) {
                c.current = ContainerState.waiting("FailedMount");
            }
            events.add(InstanceEvent.warning(name, "FailedMount", e.getMessage(), Instant.now()));
            report(events);
            return;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("group %s: container %s could not start: %s", groupId, name, e.getMessage());
            Instant now = Instant.now();
            synchronized (this) {
                c.current = ContainerState.terminated(now, 127, now, "StartError");
            }
            events.add(InstanceEvent.warning(name, "Failed", "Container '" + name + "' could not start: "
                    + e.getMessage(), now));
            report(events);
            return;
        }
        synchronized (this) {
            if (stopping) {
                run.stop(Duration.ZERO);
                run.cleanUp();
                return;
            }
            c.run = run;
            c.current = ContainerState.running(run.startedAt());
            c.lastCpuNanos = 0;
            c.lastSampleNanos = System.nanoTime();
            c.wallCountedNanos = 0;
            c.accounted = false;
            events.add(InstanceEvent.normal(name, "Started", "Started container (" + run.runtime() + ")",
                    run.startedAt()));
            run.handle().onExit().thenAccept(h -> exited(c, run));
            probes.watch(groupId, c.spec, probeRun(c, run));
        }
        report(events);
        saveState();
    }

    /** A capability the container asked for that this machine cannot grant: it runs without, and says so. */
    static void unavailableCapabilities(String container, List<String> caps, List<InstanceEvent> events) {
        if (!caps.isEmpty()) {
            events.add(InstanceEvent.warning(container, "CapabilitiesUnavailable", "This node cannot grant "
                    + String.join(", ", caps) + "; the container runs without them", Instant.now()));
        }
    }

    private synchronized int nextAttempt(Container c) {
        return ++c.attempt;
    }

    private synchronized boolean isStopping() {
        return stopping;
    }

    private void exited(Container c, ContainerRun run) {
        var events = new ArrayList<InstanceEvent>();
        synchronized (this) {
            if (stopping || c.run != run) {
                return;
            }
            Instant now = Instant.now();
            Integer exit = run.exitCode();
            int code = exit == null ? -1 : exit;
            account(c, now);
            c.current = ContainerState.terminated(run.startedAt(), code, now, exit == null
                    ? "ExitedWhileAdopted"
                    : code == 0 ? "Completed" : "Error");
            events.add(code == 0
                    ? InstanceEvent.normal(c.spec.name(), "Completed", "Container exited with code 0", now)
                    : InstanceEvent.warning(c.spec.name(), "Terminated", exit == null
                            ? "Container exited (exit code unknown: it was started by a previous node agent)"
                            : "Container exited with code " + code, now));
            if (restarts(code)) {
                c.restartCount++;
                c.restartPending = true;
                long delay = Math.min(c.restartCount, MAX_BACKOFF_SECONDS);
                events.add(InstanceEvent.warning(c.spec.name(), "BackOff", "Back-off " + delay
                        + "s restarting container", now));
                timers.schedule(() -> work.submit(() -> launch(c)), delay, TimeUnit.SECONDS);
            }
        }
        work.submit(run::cleanUp);
        report(events);
        saveState();
    }

    /** What the probes may do with a run: exec into it, report on the group, stop it (then restarted per policy). */
    private Probes.Run probeRun(Container c, ContainerRun run) {
        return new Probes.Run() {
            @Override
            public boolean current() {
                synchronized (StandardGroup.this) {
                    return !stopping && c.run == run && "Running".equals(c.current.state());
                }
            }

            @Override
            public ExecStream exec(List<String> command, Duration timeout) throws IOException, ExecRefused {
                return openExec(c.spec.name(), command); // a stream: the probe's timer closes it
            }

            @Override
            public void report(List<InstanceEvent> events) {
                StandardGroup.this.report(events);
            }

            @Override
            public void kill(Duration grace) {
                run.stop(grace);
            }
        };
    }

    private boolean restarts(int exitCode) {
        String policy = workload.restartPolicy() == null ? "Always" : workload.restartPolicy();
        return "Always".equals(policy) || ("OnFailure".equals(policy) && exitCode != 0);
    }

    /** Adds a finished run to the overhead summary, once. Caller holds the monitor. */
    private void account(Container c, Instant finished) {
        if (c.accounted || c.run == null) {
            return;
        }
        c.accounted = true;
        long cpu = c.run.cpuNanos();
        if (cpu < 0) {
            cpu = c.lastCpuNanos; // a host process that is gone: its last sample is all there is
        }
        long wall = Math.max(0, Duration.between(c.run.startedAt(), finished).toNanos());
        String w = workload.workloadName();
        overhead.containerCpu(w, Isolation.STANDARD, (cpu - c.lastCpuNanos) / 1e9);
        overhead.containerWall(w, Isolation.STANDARD, (wall - c.wallCountedNanos) / 1e9);
        c.lastCpuNanos = cpu;
        c.wallCountedNanos = Math.max(wall, c.wallCountedNanos);
        overhead.finished(w, Isolation.STANDARD, cpu / 1e9, wall / 1e9, 0);
    }

    /** SIGTERM to every container, SIGKILL to whatever outlives the grace period; each run counts as finished. */
    @Override
    public void stop(Duration grace) {
        List<Container> live = new ArrayList<>();
        synchronized (this) {
            stopping = true;
            sample(overhead);
            containers.values().stream().filter(c -> c.run != null).forEach(live::add);
        }
        // in parallel, each on its own thread: a container that ignores SIGTERM costs the grace period once
        var stops = live.stream().map(c -> CompletableFuture.runAsync(() -> c.run.stop(grace),
                r -> new Thread(r, "stop-" + c.spec.name()).start())).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(stops).join();
        } catch (RuntimeException e) {
            LOG.warnf("group %s: stop failed: %s", groupId, e.getMessage());
        }
        synchronized (this) {
            Instant now = Instant.now();
            live.stream().filter(c -> "Running".equals(c.current.state())).forEach(c -> account(c, now));
        }
        live.forEach(c -> c.run.cleanUp());
        Cgroups.remove(OciSpecs.groupCgroup(groupId));
    }

    @Override
    public synchronized void detach() {
        stopping = true;
        saveState();
    }

    /**
     * Takes over the runs a previous agent started (from the group's state file). A run that ended meanwhile is
     * reported as ended now (with its exit code where runc recorded one) and restarted per the policy.
     */
    synchronized boolean adopt(JsonNode state) {
        boolean any = false;
        List<Runnable> endedWhileAway = new ArrayList<>();
        for (var c : containers.values()) {
            JsonNode s = state.path("containers").path(c.spec.name());
            c.restartCount = s.path("restarts").asInt(0);
            c.attempt = s.path("attempt").asInt(0);
            c.accounted = false;
            if (!(s.path("run") instanceof ObjectNode saved)) {
                c.current = ContainerState.terminated(null, -1, Instant.now(), "LostWhileAgentDown");
                continue;
            }
            boolean isRunc = "runc".equals(saved.path("runtime").asText());
            ContainerRun run = isRunc && runc.isPresent()
                    ? RuncRun.adopt(runc.get(), saved)
                    : isRunc ? null : HostProcessRun.adopt(saved);
            if (run == null) {
                Integer code = isRunc ? RuncRun.exitCodeOf(saved) : null;
                if (isRunc) {
                    RuncRun.discard(Path.of(saved.path("bundle").asText()));
                }
                if (code == null) {
                    c.current = ContainerState.terminated(null, -1, Instant.now(), "LostWhileAgentDown");
                    continue;
                }
                any = true;
                Instant started = Instant.parse(saved.path("startedAt").asText());
                c.current = ContainerState.terminated(started, code, Instant.now(), code == 0 ? "Completed" : "Error");
                if (restarts(code)) {
                    c.restartPending = true;
                    endedWhileAway.add(() -> work.submit(() -> launch(c)));
                }
                continue;
            }
            any = true;
            c.run = run;
            c.current = ContainerState.running(run.startedAt());
            // this agent's counters count from now on; the summary takes the run whole when it ends
            c.lastCpuNanos = Math.max(0, run.cpuNanos());
            c.lastSampleNanos = System.nanoTime();
            c.wallCountedNanos = Duration.between(run.startedAt(), Instant.now()).toNanos();
            run.handle().onExit().thenAccept(h -> exited(c, run));
            probes.watch(groupId, c.spec, probeRun(c, run));
        }
        endedWhileAway.forEach(Runnable::run);
        return any;
    }

    private synchronized void saveState() {
        if (stopping) {
            return;
        }
        writeState();
    }

    private void writeState() {
        try {
            ObjectNode s = Frames.object();
            ObjectNode cs = s.putObject("containers");
            containers.forEach((name, c) -> {
                ObjectNode o = cs.putObject(name);
                o.put("restarts", c.restartCount);
                o.put("attempt", c.attempt);
                if (c.run != null) {
                    o.set("run", c.run.save());
                }
            });
            OwnerOnly.directory(dir);
            OwnerOnly.write(dir.resolve("process-state.json"), Frames.JSON.writeValueAsString(s));
        } catch (IOException e) {
            LOG.warnf("group %s: could not save state: %s", groupId, e.getMessage());
        }
    }

    @Override
    public synchronized Map<String, Long> pids() {
        var pids = new LinkedHashMap<String, Long>();
        containers.forEach((name, c) -> {
            if (c.run != null && "Running".equals(c.current.state())) {
                long pid = c.run.pid();
                if (pid > 0) {
                    pids.put(name, pid);
                }
            }
        });
        return pids;
    }

    @Override
    public String logs(String container, int tail, boolean timestamps) throws IOException {
        if (!containers.containsKey(container)) {
            throw new IllegalArgumentException("no container " + container);
        }
        return LogTail.read(dir.resolve(container).resolve("stdout.log"), tail);
    }

    @Override
    public synchronized void sample(Overhead o) {
        long now = System.nanoTime();
        String w = workload.workloadName();
        for (var c : containers.values()) {
            if (c.run == null || !"Running".equals(c.current.state())) {
                continue;
            }
            long cpu = c.run.cpuNanos();
            if (cpu >= 0) {
                o.containerCpu(w, Isolation.STANDARD, (cpu - c.lastCpuNanos) / 1e9);
                c.lastCpuNanos = Math.max(cpu, c.lastCpuNanos);
            }
            o.containerWall(w, Isolation.STANDARD, (now - c.lastSampleNanos) / 1e9);
            c.wallCountedNanos += now - c.lastSampleNanos;
            c.lastSampleNanos = now;
        }
    }

    @Override
    public ExecStream openExec(String container, List<String> args) throws IOException, ExecRefused {
        ContainerRun run;
        synchronized (this) {
            var c = containers.get(container);
            if (c == null) {
                throw new IllegalArgumentException("no container " + container);
            }
            if (c.run == null || !"Running".equals(c.current.state())) {
                throw new IllegalStateException("container " + container + " is not running");
            }
            run = c.run;
        }
        if (!(run instanceof RuncRun r)) {
            throw new ExecRefused("exec needs runc, which this node does not have", false);
        }
        return r.exec(args);
    }

    @Override
    public void reportNow() {
        report(List.of());
    }

    private void report(List<InstanceEvent> events) {
        List<ContainerStatus> statuses;
        GroupRuntimeState state;
        synchronized (this) {
            statuses = containers.values().stream()
                    .map(c -> new ContainerStatus(c.spec.name(), c.current, c.previous, c.restartCount)).toList();
            state = state();
        }
        out.send(new GroupStatus(UUID.randomUUID().toString(), nodeId, groupId, generation, state, statuses, events,
                Instant.now()));
    }

    /** ACI's group state: Running while any container runs or will restart; Pending while any is being set up. */
    private GroupRuntimeState state() {
        boolean allSucceeded = true;
        boolean pending = false;
        for (var c : containers.values()) {
            if ("Running".equals(c.current.state()) || c.restartPending) {
                return GroupRuntimeState.Running;
            }
            String detail = c.current.detailStatus();
            if ("Starting".equals(detail) || ImagePulls.BACK_OFF.equals(detail)) {
                pending = true;
            }
            if (!"Terminated".equals(c.current.state()) || c.current.exitCode() == null || c.current.exitCode() != 0) {
                allSucceeded = false;
            }
        }
        if (pending) {
            return GroupRuntimeState.Pending;
        }
        return allSucceeded ? GroupRuntimeState.Succeeded : GroupRuntimeState.Failed;
    }
}
