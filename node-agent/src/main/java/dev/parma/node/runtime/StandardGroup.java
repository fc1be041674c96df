package dev.parma.node.runtime;

import dev.parma.contracts.node.ContainerState;
import dev.parma.contracts.node.ContainerStatus;
import dev.parma.contracts.node.ContainerWorkload;
import dev.parma.contracts.node.GroupRuntimeState;
import dev.parma.contracts.node.GroupStatus;
import dev.parma.contracts.node.GroupWorkload;
import dev.parma.contracts.node.InstanceEvent;
import dev.parma.contracts.node.Isolation;
import dev.parma.contracts.node.StartGroup;
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
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * One group on the {@code none} driver: each container is a plain OS process running the container's command
 * (the image is not used yet). Exits are reported and restarted per the group's restart policy, with a
 * back-off that grows with the restart count.
 */
final class RunningGroup implements GroupRuntime {

    private static final int MAX_BACKOFF_SECONDS = 30;

    private final String nodeId;
    private final String groupId;
    private final long generation;
    private final GroupWorkload workload;
    private final Path dir;
    private final NodeEvents out;
    private final ScheduledExecutorService timers;
    private final Overhead overhead;
    private final Map<String, Container> containers = new LinkedHashMap<>();
    private boolean stopping;

    /** Mutable per-container bookkeeping, guarded by the group's monitor. */
    private static final class Container {
        final ContainerWorkload spec;
        Process process;
        /** A process adopted from a previous agent (no exit code available). */
        ProcessHandle adopted;
        long lastCpuNanos;
        long lastSampleNanos;
        ContainerState current = ContainerState.waiting("Starting");
        /** Whether this run's cost is in the overhead summary. */
        boolean accounted;
        ContainerState previous;
        int restartCount;
        boolean restartPending;

        Container(ContainerWorkload spec) {
            this.spec = spec;
        }
    }

    RunningGroup(String nodeId, StartGroup command, Path dir, NodeEvents out, ScheduledExecutorService timers,
            Overhead overhead) {
        this.nodeId = nodeId;
        this.groupId = command.groupId();
        this.generation = command.generation();
        this.workload = command.workload();
        this.dir = dir;
        this.out = out;
        this.timers = timers;
        this.overhead = overhead;
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

    /** Events added before the containers start (e.g. why the image was not used). */
    private final List<InstanceEvent> preamble = new ArrayList<>();

    void warnFirst(InstanceEvent e) {
        preamble.add(e);
    }

    @Override
    public synchronized void start() {
        var events = new ArrayList<InstanceEvent>(preamble);
        containers.values().forEach(c -> launch(c, events));
        report(events);
        saveState();
    }

    private ProcessHandle handle(Container c) {
        return c.process != null ? c.process.toHandle() : c.adopted;
    }

    @Override
    public synchronized Map<String, Long> pids() {
        var pids = new LinkedHashMap<String, Long>();
        containers.forEach((name, c) -> {
            var h = handle(c);
            if (h != null && h.isAlive()) {
                pids.put(name, h.pid());
            }
        });
        return pids;
    }

    /** Takes over processes a previous agent started (by pid, from group's state file). */
    synchronized boolean adopt(Map<String, Long> pids, Map<String, Integer> restarts) {
        boolean any = false;
        for (var c : containers.values()) {
            c.restartCount = restarts.getOrDefault(c.spec.name(), 0);
            Long pid = pids.get(c.spec.name());
            var h = pid == null ? null : ProcessHandle.of(pid).filter(ProcessHandle::isAlive).orElse(null);
            if (h == null) {
                c.current = ContainerState.terminated(null, -1, Instant.now(), "LostWhileAgentDown");
                continue;
            }
            any = true;
            c.adopted = h;
            c.current = ContainerState.running(h.info().startInstant().orElse(Instant.now()));
            c.lastSampleNanos = System.nanoTime();
            h.onExit().thenAccept(p -> adoptedExited(c, p));
        }
        return any;
    }

    private synchronized void adoptedExited(Container c, ProcessHandle p) {
        if (stopping || c.adopted != p) {
            return;
        }
        var now = Instant.now();
        c.current = ContainerState.terminated(c.current.startTime(), -1, now, "ExitedWhileAdopted");
        report(List.of(InstanceEvent.warning(c.spec.name(), "Terminated",
                "Container exited (exit code unknown: it was started by a previous node agent)", now)));
    }

    @Override
    public synchronized void detach() {
        stopping = true;
        saveState();
    }

    private synchronized void saveState() {
        try {
            var s = dev.parma.guest.Frames.object();
            var p = s.putObject("pids");
            var r = s.putObject("restarts");
            containers.forEach((name, c) -> {
                var h = handle(c);
                if (h != null && h.isAlive()) {
                    p.put(name, h.pid());
                }
                r.put(name, c.restartCount);
            });
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("process-state.json"), dev.parma.guest.Frames.JSON.writeValueAsString(s));
        } catch (IOException ignored) {
            // recovery then reports the group as lost
        }
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
        for (var c : containers.values()) {
            var h = handle(c);
            if (h == null || !h.isAlive()) {
                continue;
            }
            long cpu = Stream.concat(Stream.of(h), h.descendants())
                    .mapToLong(x -> x.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L)).sum();
            o.containerCpu(workload.workloadName(), Isolation.STANDARD, (cpu - c.lastCpuNanos) / 1e9);
            c.lastCpuNanos = Math.max(cpu, c.lastCpuNanos);
            if (c.lastSampleNanos > 0) {
                o.containerWall(workload.workloadName(), Isolation.STANDARD, (now - c.lastSampleNanos) / 1e9);
            }
            c.lastSampleNanos = now;
        }
    }

    @Override
    public synchronized void reportNow() {
        report(List.of());
    }

    private void launch(Container c, List<InstanceEvent> events) {
        var now = Instant.now();
        c.restartPending = false;
        if ("Terminated".equals(c.current.state())) {
            c.previous = c.current; // ACI shows the last termination as previousState after a restart
        }
        if (c.spec.command().isEmpty()) {
            c.current = ContainerState.waiting("CommandRequired");
            events.add(InstanceEvent.warning(c.spec.name(), "Failed", "Container '" + c.spec.name()
                    + "' has no command; image entrypoints need the runc driver, which this node does not have yet.",
                    now));
            return;
        }
        try {
            Path cdir = Files.createDirectories(dir.resolve(c.spec.name()));
            var pb = new ProcessBuilder(c.spec.command()).directory(cdir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(cdir.resolve("stdout.log").toFile()));
            // A container sees only its own environment, never the agent's.
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            c.spec.environmentVariables().forEach(v -> pb.environment().put(v.name(), v.value()));
            var process = pb.start();
            c.process = process;
            c.adopted = null;
            c.lastCpuNanos = 0;
            c.lastSampleNanos = System.nanoTime();
            c.accounted = false;
            c.current = ContainerState.running(now);
            events.add(InstanceEvent.normal(c.spec.name(), "Started", "Started container", now));
            process.onExit().thenAccept(p -> exited(c, p));
        } catch (IOException | RuntimeException e) {
            c.current = ContainerState.terminated(now, 127, now, "StartError");
            events.add(InstanceEvent.warning(c.spec.name(), "Failed", "Container '" + c.spec.name()
                    + "' could not start: " + e.getMessage(), now));
        }
    }

    private synchronized void exited(Container c, Process p) {
        if (stopping || c.process != p) {
            return;
        }
        var now = Instant.now();
        int code = p.exitValue();
        account(c, now);
        c.current = ContainerState.terminated(c.current.startTime(), code, now, code == 0 ? "Completed" : "Error");
        var events = new ArrayList<InstanceEvent>();
        events.add(code == 0
                ? InstanceEvent.normal(c.spec.name(), "Completed", "Container exited with code 0", now)
                : InstanceEvent.warning(c.spec.name(), "Terminated", "Container exited with code " + code, now));
        String policy = workload.restartPolicy() == null ? "Always" : workload.restartPolicy();
        if ("Always".equals(policy) || ("OnFailure".equals(policy) && code != 0)) {
            c.restartCount++;
            c.restartPending = true;
            long delay = Math.min(c.restartCount, MAX_BACKOFF_SECONDS);
            events.add(InstanceEvent.warning(c.spec.name(), "BackOff", "Back-off " + delay
                    + "s restarting container", now));
            timers.schedule(() -> restart(c), delay, TimeUnit.SECONDS);
        }
        report(events);
    }

    private synchronized void restart(Container c) {
        if (stopping || !c.restartPending) {
            return;
        }
        var events = new ArrayList<InstanceEvent>();
        launch(c, events);
        report(events);
        saveState();
    }

    /**
     * Adds a finished run to the overhead summary, once. A host process's CPU is known only while it lives, so it
     * is the last sample (at most a second old).
     */
    private void account(Container c, Instant finished) {
        if (c.accounted || c.current.startTime() == null) {
            return;
        }
        c.accounted = true;
        double wall = Math.max(0, Duration.between(c.current.startTime(), finished).toNanos()) / 1e9;
        overhead.finished(workload.workloadName(), Isolation.STANDARD, c.lastCpuNanos / 1e9, wall, 0);
    }

    /** SIGTERM to every container's process tree, then SIGKILL to whatever outlives the grace period. */
    @Override
    public void stop(Duration grace) {
        List<ProcessHandle> tree;
        synchronized (this) {
            sample(overhead);
            var now = Instant.now();
            containers.values().stream().filter(c -> "Running".equals(c.current.state()))
                    .forEach(c -> account(c, now));
            stopping = true;
            tree = containers.values().stream().map(this::handle).filter(p -> p != null && p.isAlive())
                    .flatMap(p -> Stream.concat(Stream.of(p), p.descendants()))
                    .toList();
        }
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (var p : tree) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                p.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            } catch (ExecutionException | TimeoutException e) {
                p.destroyForcibly();
            }
        }
    }

    private synchronized void report(List<InstanceEvent> events) {
        var statuses = containers.values().stream()
                .map(c -> new ContainerStatus(c.spec.name(), c.current, c.previous, c.restartCount)).toList();
        out.send(new GroupStatus(UUID.randomUUID().toString(), nodeId, groupId, generation, state(), statuses, events,
                Instant.now()));
    }

    /** ACI's group state: Running while any container runs or will restart; else Succeeded or Failed. */
    private GroupRuntimeState state() {
        boolean allSucceeded = true;
        for (var c : containers.values()) {
            if ("Running".equals(c.current.state()) || c.restartPending) {
                return GroupRuntimeState.Running;
            }
            if (!"Terminated".equals(c.current.state()) || c.current.exitCode() == null || c.current.exitCode() != 0) {
                allSucceeded = false;
            }
        }
        return allSucceeded ? GroupRuntimeState.Succeeded : GroupRuntimeState.Failed;
    }
}
