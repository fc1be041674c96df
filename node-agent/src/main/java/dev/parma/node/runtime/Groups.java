package dev.parma.node.runtime;

import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.GroupRemoved;
import dev.parma.contracts.node.StartGroup;
import dev.parma.node.config.NodeConfig;
import dev.parma.node.messaging.NodeEvents;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;

/** The groups running on this node, by group id. */
@ApplicationScoped
public class Groups {

    private static final Logger LOG = Logger.getLogger(Groups.class);

    private final NodeConfig config;
    private final NodeEvents out;
    private final Map<String, RunningGroup> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        var t = new Thread(r, "container-restarts");
        t.setDaemon(true);
        return t;
    });

    Groups(NodeConfig config, NodeEvents out) {
        this.config = config;
        this.out = out;
    }

    public void start(StartGroup command) {
        var current = running.get(command.groupId());
        if (current != null && current.generation() >= command.generation()) {
            LOG.debugf("ignoring start of group %s generation %d: already at %d", command.groupId(),
                    command.generation(), current.generation());
            return;
        }
        if (current != null) {
            current.stop(config.stopGrace());
        }
        var group = new RunningGroup(config.id(), command, config.workDir().resolve(command.groupId()), out, timers);
        running.put(command.groupId(), group);
        LOG.infof("starting group %s generation %d (%d containers)", command.groupId(), command.generation(),
                command.workload().containers().size());
        group.start();
    }

    public void delete(DeleteGroup command) {
        var group = running.remove(command.groupId());
        if (group != null) {
            LOG.infof("deleting group %s", command.groupId());
            group.stop(config.stopGrace());
        }
        // Confirm even for a group we do not know, so the control plane never waits on a lost node state.
        out.send(new GroupRemoved(UUID.randomUUID().toString(), config.id(), command.groupId(), command.generation(),
                Instant.now()));
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

    public int count() {
        return running.size();
    }

    /** Process ids of a group's running containers, by container name (for tests and diagnostics). */
    public Map<String, Long> pids(String groupId) {
        var group = running.get(groupId);
        return group == null ? Map.of() : group.pids();
    }

    @PreDestroy
    void shutdown() {
        // Without a UVM or runc the containers are children of this process: stop them with it.
        running.values().forEach(g -> g.stop(config.stopGrace()));
        running.clear();
        timers.shutdownNow();
    }
}
