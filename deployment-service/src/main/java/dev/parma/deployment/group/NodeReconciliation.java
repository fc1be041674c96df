package dev.parma.deployment.group;

import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.InstanceEvent;
import dev.parma.contracts.node.NodeHeartbeat;
import dev.parma.deployment.config.DeploymentConfig;
import dev.parma.deployment.group.LifecycleEvent.Adopted;
import dev.parma.deployment.node.HeartbeatConsumer.Reported;
import dev.parma.deployment.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Reconciles what a node says it runs (its heartbeat) with where the groups are, instead of rescheduling:
 * <ul>
 * <li>a group the node runs at its current generation while it waits for a node (its node was declared lost and no
 * other took it yet) is adopted back, never deleted and recreated;</li>
 * <li>a group the node runs that is not its own (moved elsewhere, stopped, deleted, or an older generation of a
 * group that moved) is removed from it, so no group runs on two nodes once the node is back;</li>
 * <li>a provisioned group the control plane has on the node but the node does not run is sent to it again.</li>
 * </ul>
 * Only a node's newest, recent heartbeat counts; commands are repeated at most once per liveness window.
 */
@ApplicationScoped
public class NodeReconciliation {

    private static final Logger LOG = Logger.getLogger(NodeReconciliation.class);

    private final Lifecycle lifecycle;
    private final Outbox outbox;
    private final DeploymentConfig config;
    // "node/group/command" → when it was last sent, so one heartbeat after another does not repeat it
    private final Map<String, Instant> sent = new ConcurrentHashMap<>();

    NodeReconciliation(Lifecycle lifecycle, Outbox outbox, DeploymentConfig config) {
        this.lifecycle = lifecycle;
        this.outbox = outbox;
        this.config = config;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void onReported(@Observes Reported reported) {
        var now = Instant.now();
        sent.values().removeIf(at -> at.isBefore(now.minus(config.nodeLiveness())));
        for (var hb : reported.heartbeats()) {
            if (hb.running() != null && hb.sentAt().isAfter(now.minus(config.nodeLiveness()))) {
                reconcile(hb, now);
            }
        }
    }

    private void reconcile(NodeHeartbeat hb, Instant now) {
        String node = hb.nodeId();
        Map<String, Long> runs = new HashMap<>();
        hb.running().forEach(r -> runs.merge(r.groupId(), r.generation(), Math::max));
        // locked: placement may be taking a waiting group at the same time (Reconciler)
        List<ContainerGroupEntity> groups = (runs.isEmpty()
                ? ContainerGroupEntity.find("nodeId = ?1", node)
                : ContainerGroupEntity.find("nodeId = ?1 or id in ?2", node, runs.keySet()))
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).list();
        Map<String, ContainerGroupEntity> byId = new HashMap<>();
        groups.forEach(g -> byId.put(g.id, g));

        for (var entry : runs.entrySet()) {
            var g = byId.get(entry.getKey());
            long generation = entry.getValue();
            if (g != null && node.equals(g.nodeId)) {
                continue; // its own: the node's events tell the rest
            }
            if (g != null && g.nodeId == null && "Repairing".equals(g.phase) && g.generation == generation) {
                LOG.infof("node %s still runs group %s (generation %d): adopted back", node, g.id, generation);
                Lifecycle.addEvent(g, InstanceEvent.normal(null, "NodeReturned", "The node running the group came"
                        + " back with the group still running; it stays there.", now));
                lifecycle.apply(g, new Adopted(node), now);
                continue;
            }
            if (once(node, entry.getKey(), "delete", now)) {
                LOG.infof("node %s runs group %s (generation %d) that is not its own: removing it there", node,
                        entry.getKey(), generation);
                outbox.commandNode(node, new DeleteGroup(UUID.randomUUID().toString(), entry.getKey(), generation));
            }
        }
        for (var g : groups) {
            // only what the node had confirmed running: a group still being created is on its way to the node
            if (node.equals(g.nodeId) && "Succeeded".equals(g.phase) && !runs.containsKey(g.id)
                    && g.updatedAt.isBefore(hb.sentAt()) && once(node, g.id, "start", now)) {
                LOG.warnf("node %s does not run group %s it had started: sending it again", node, g.id);
                outbox.commandNode(node, NodeWorkloads.command(g, node));
            }
        }
    }

    private boolean once(String node, String group, String command, Instant now) {
        return sent.putIfAbsent(node + "/" + group + "/" + command, now) == null;
    }
}
