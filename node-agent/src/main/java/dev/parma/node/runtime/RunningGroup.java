package dev.parma.node.runtime;

import dev.parma.contracts.node.ContainerState;
import dev.parma.contracts.node.ContainerStatus;
import dev.parma.contracts.node.ContainerWorkload;
import dev.parma.contracts.node.GroupRuntimeState;
import dev.parma.contracts.node.GroupStatus;
import dev.parma.contracts.node.GroupWorkload;
import dev.parma.contracts.node.InstanceEvent;
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
final class RunningGroup {

    private static final int MAX_BACKOFF_SECONDS = 30;

    private final String nodeId;
    private final String groupId;
    private final long generation;
    private final GroupWorkload workload;
    private final Path dir;
    private final NodeEvents out;
    private final ScheduledExecutorService timers;
    private final Map<String, Container> containers = new LinkedHashMap<>();
    private boolean stopping;

    /** Mutable per-container bookkeeping, guarded by the group's monitor. */
    private static final class Container {
        final ContainerWorkload spec;
        Process process;
        ContainerState current = ContainerState.waiting("Starting");
        ContainerState previous;
        int restartCount;
        boolean restartPending;

        Container(ContainerWorkload spec) {
            this.spec = spec;
        }
    }

    RunningGroup(String nodeId, StartGroup command, Path dir, NodeEvents out, ScheduledExecutorService timers) {
        this.nodeId = nodeId;
        this.groupId = command.groupId();
        this.generation = command.generation();
        this.workload = command.workload();
        this.dir = dir;
        this.out = out;
        this.timers = timers;
        workload.containers().forEach(c -> containers.put(c.name(), new Container(c)));
    }

    long generation() {
        return generation;
    }

    GroupWorkload workload() {
        return workload;
    }

    synchronized void start() {
        var events = new ArrayList<InstanceEvent>();
        containers.values().forEach(c -> launch(c, events));
        report(events);
    }

    synchronized Map<String, Long> pids() {
        var pids = new LinkedHashMap<String, Long>();
        containers.forEach((name, c) -> {
            if (c.process != null && c.process.isAlive()) {
                pids.put(name, c.process.pid());
            }
        });
        return pids;
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
    }

    /** SIGTERM to every container's process tree, then SIGKILL to whatever outlives the grace period. */
    void stop(Duration grace) {
        List<ProcessHandle> tree;
        synchronized (this) {
            stopping = true;
            tree = containers.values().stream().map(c -> c.process).filter(p -> p != null && p.isAlive())
                    .flatMap(p -> Stream.concat(Stream.of(p.toHandle()),
                            p.descendants()))
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

    private void report(List<InstanceEvent> events) {
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
