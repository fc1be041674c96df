package dev.parma.node.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parma.contracts.Json;
import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.GroupRemoved;
import dev.parma.contracts.node.InstanceEvent;
import dev.parma.contracts.node.Isolation;
import dev.parma.contracts.node.StartGroup;
import dev.parma.node.messaging.NodeIdentity;
import dev.parma.guest.Frames;
import dev.parma.guest.Layers;
import dev.parma.guest.OwnerOnly;
import dev.parma.node.config.NodeConfig;
import dev.parma.node.images.Registry;
import dev.parma.node.messaging.NodeEvents;
import dev.parma.node.vm.VmDriver;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The groups running on this node, by group id. Confidential groups run in a UVM of the node's VM driver;
 * standard groups run without one. Groups outlive the agent: on shutdown it lets go of them, and on start it
 * takes them over again from their state files and re-reports them.
 */
@ApplicationScoped
public class Groups {

    private static final Logger LOG = Logger.getLogger(Groups.class);

    private final NodeConfig config;
    private final NodeEvents out;
    private final VmDriver driver;
    private final Overhead overhead;
    private final Probes probes;
    private final NodeIdentity identity;
    private final Registry registry;
    private final Optional<Runc> runc;
    private final Map<String, GroupRuntime> running = new ConcurrentHashMap<>();
    private final java.util.Set<String> deleting = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, r -> {
        var t = new Thread(r, "group-timers");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService work = Executors.newFixedThreadPool(8, r -> {
        var t = new Thread(r, "group-launch");
        t.setDaemon(true);
        return t;
    });

    Groups(NodeConfig config, NodeEvents out, VmDriver driver, Overhead overhead, Probes probes,
            NodeIdentity identity) {
        this.config = config;
        this.identity = identity;
        this.out = out;
        this.driver = driver;
        this.overhead = overhead;
        this.probes = probes;
        this.registry = new Registry(config.workDir().resolve("images"), config.registryMirror(),
                config.insecureRegistries().orElse(List.of()));
        this.runc = Runc.find(config.workDir().resolve("runc"));
        try {
            // nothing under the work dir is another user's to read; a dir an operator made wider is narrowed
            OwnerOnly.directory(config.workDir());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("work dir " + config.workDir(), e);
        }
        if (runc.isEmpty()) {
            LOG.warn("runc is missing (or this agent is not root): standard groups fall back to running each"
                    + " container's command as a plain host process, without its image or cgroup limits");
        }
    }

    void onStart(@Observes StartupEvent ignored) {
        recover();
    }

    public void start(StartGroup command) {
        if (!running.containsKey(command.groupId())
                && Files.exists(config.workDir().resolve("groups").resolve(command.groupId()).resolve("group.json"))) {
            // a command replayed after a restart can arrive before start-up took the groups over: take over first
            recover();
        }
        var current = running.get(command.groupId());
        if (current != null && current.generation() >= command.generation()) {
            LOG.debugf("ignoring start of group %s generation %d: already at %d", command.groupId(),
                    command.generation(), current.generation());
            // but say how it is: a control plane that placed it here again waits to hear it runs
            current.reportNow();
            return;
        }
        if (current != null) {
            current.stop(config.stopGrace());
        }
        GroupRuntime group;
        synchronized (this) { // commands run in parallel: recover() must not see its files before it runs here
            group = create(command);
            running.put(command.groupId(), group);
        }
        LOG.infof("starting %s group %s generation %d (%d containers)", command.workload().isolation(),
                command.groupId(), command.generation(), command.workload().containers().size());
        group.start();
    }

    private GroupRuntime create(StartGroup command) {
        Path dir = config.workDir().resolve("groups").resolve(command.groupId());
        if (command.workload().isolation() == Isolation.CONFIDENTIAL) {
            return new ConfidentialGroup(config.id(), command, dir, out, driver, registry, overhead, timers, work,
                    probes);
        }
        var group = new StandardGroup(config.id(), command, dir, out, registry, runc, overhead, timers, work, probes);
        try {
            OwnerOnly.directory(dir);
            Files.deleteIfExists(dir.resolve("process-state.json"));
            // secure values never rest here in clear: the sealed box does, and is opened again on recovery
            OwnerOnly.write(dir.resolve("group.json"), Json.mapper().writeValueAsString(command.forDisk()));
        } catch (IOException e) {
            LOG.warnf("group %s: cannot save its state: %s", command.groupId(), e.getMessage());
        }
        return group;
    }

    public void delete(DeleteGroup command) {
        GroupRuntime group;
        synchronized (this) { // while it stops, recover() must not take it over again from its files
            group = running.remove(command.groupId());
            deleting.add(command.groupId());
        }
        try {
            remove(command, group);
        } finally {
            deleting.remove(command.groupId());
        }
        // Confirm even for a group we do not know, so the control plane never waits on a lost node state.
        out.send(new GroupRemoved(UUID.randomUUID().toString(), config.id(), command.groupId(), command.generation(),
                Instant.now()));
    }

    private void remove(DeleteGroup command, GroupRuntime group) {
        if (group != null) {
            LOG.infof("deleting group %s", command.groupId());
            try {
                group.stop(config.stopGrace());
            } catch (RuntimeException e) {
                LOG.warnf(e, "group %s: stopping it failed", command.groupId());
            }
        }
        try {
            Files.deleteIfExists(config.workDir().resolve("groups").resolve(command.groupId()).resolve("group.json"));
        } catch (IOException ignored) {
            // nothing to recover then anyway
        }
    }

    /** Takes over the groups a previous agent left running, and reports each (reconciliation). */
    synchronized int recover() {
        Path root = config.workDir().resolve("groups");
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int recovered = 0;
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = s.filter(d -> Files.exists(d.resolve("group.json"))).toList();
        } catch (IOException e) {
            LOG.warnf("cannot list %s: %s", root, e.getMessage());
            return 0;
        }
        for (Path dir : dirs) {
            try {
                StartGroup command = identity.open(Json.mapper().readValue(dir.resolve("group.json").toFile(),
                        StartGroup.class));
                if (running.containsKey(command.groupId()) || deleting.contains(command.groupId())) {
                    continue;
                }
                GroupRuntime g = reattach(command, dir);
                if (g != null) {
                    running.put(command.groupId(), g);
                    g.reportNow();
                    recovered++;
                    LOG.infof("recovered group %s generation %d", command.groupId(), command.generation());
                } else {
                    LOG.warnf("group %s did not survive the agent restart; reporting it failed", command.groupId());
                    out.send(new dev.parma.contracts.node.GroupStatus(UUID.randomUUID().toString(), config.id(),
                            command.groupId(), command.generation(),
                            dev.parma.contracts.node.GroupRuntimeState.Failed, List.of(),
                            List.of(InstanceEvent.warning(null, "LostOnNodeRestart",
                                    "The group stopped while its node agent was down", Instant.now())),
                            Instant.now()));
                    Files.deleteIfExists(dir.resolve("group.json"));
                    // its root file systems were still mounted when the UVM or the containers died
                    Layers.unmountUnder(dir);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warnf("cannot recover %s: %s", dir, e.getMessage());
            }
        }
        return recovered;
    }

    private GroupRuntime reattach(StartGroup command, Path dir) throws IOException {
        if (command.workload().isolation() == Isolation.CONFIDENTIAL) {
            Path state = dir.resolve("uvm-state.json");
            if (!Files.exists(state)) {
                return null;
            }
            JsonNode s = Frames.JSON.readTree(state.toFile());
            Map<String, String> ids = new HashMap<>();
            s.path("containers").fields().forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asText()));
            Map<String, Integer> restarts = new HashMap<>();
            s.path("restarts").fields().forEachRemaining(e -> restarts.put(e.getKey(), e.getValue().asInt()));
            Map<String, String> layers = new java.util.LinkedHashMap<>();
            s.path("mountedLayers").fields().forEachRemaining(e -> layers.put(e.getKey(), e.getValue().asText()));
            java.util.Set<String> finished = new java.util.HashSet<>();
            s.path("finished").forEach(f -> finished.add(f.asText()));
            var g = new ConfidentialGroup(config.id(), command, dir, out, driver, registry, overhead, timers, work,
                    probes);
            return g.reattach(s.path("uvmPid").asLong(-1), ids, restarts, layers, finished) ? g : null;
        }
        Path state = dir.resolve("process-state.json");
        if (!Files.exists(state)) {
            return null;
        }
        var g = new StandardGroup(config.id(), command, dir, out, registry, runc, overhead, timers, work, probes);
        return g.adopt(Frames.JSON.readTree(state.toFile())) ? g : null;
    }

    /** Simulates this agent going away: lets go of every group without stopping any (tests). */
    synchronized void detachAll() {
        running.values().forEach(GroupRuntime::detach);
        running.clear();
    }

    /** {cpu, memoryInGB} requested by the groups on this node. */
    public double[] allocated() {
        double cpu = 0;
        double mem = 0;
        for (var g : running.values()) {
            cpu += g.workload().requestedCpu();
            mem += g.workload().requestedMemoryInGB();
        }
        return new double[]{cpu, mem};
    }

    /** What runs here: each group and the generation it runs at (heartbeats carry it for reconciliation). */
    public List<dev.parma.contracts.node.NodeHeartbeat.Running> runs() {
        return running.entrySet().stream()
                .map(e -> new dev.parma.contracts.node.NodeHeartbeat.Running(e.getKey(), e.getValue().generation()))
                .toList();
    }

    public int count() {
        return running.size();
    }

    /** Process ids of a group's running containers (and "uvm"), by container name. */
    public Map<String, Long> pids(String groupId) {
        var group = running.get(groupId);
        return group == null ? Map.of() : group.pids();
    }

    /** A container's log tail; empty if the group is unknown. */
    public java.util.Optional<String> logs(String groupId, String container, int tail, boolean timestamps)
            throws IOException {
        var group = running.get(groupId);
        return group == null
                ? java.util.Optional.empty()
                : java.util.Optional.of(group.logs(container, tail, timestamps));
    }

    /** Whether the group runs here and has that container (an exec session may be created for it). */
    public boolean hasContainer(String groupId, String container) {
        var group = running.get(groupId);
        return group != null && group.workload().containers().stream().anyMatch(c -> c.name().equals(container));
    }

    /**
     * Starts an interactive exec in a container (see {@link GroupRuntime#openExec}).
     *
     * @throws IllegalArgumentException the group or the container is not here
     */
    public ExecStream openExec(String groupId, String container, List<String> args) throws IOException, ExecRefused {
        var group = running.get(groupId);
        if (group == null) {
            throw new IllegalArgumentException("no group " + groupId + " on this node");
        }
        return group.openExec(container, args);
    }

    GroupRuntime group(String groupId) {
        return running.get(groupId);
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sample() {
        running.values().forEach(g -> g.sample(overhead));
    }

    @PreDestroy
    void shutdown() {
        // Groups outlive the agent (UVMs and containers are separate processes); the next agent takes them over.
        running.values().forEach(GroupRuntime::detach);
        running.clear();
        timers.shutdownNow();
        work.shutdownNow();
    }
}
