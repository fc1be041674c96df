package dev.parma.deployment.group;

import dev.parma.contracts.events.LivenessBreaker.ClosedBy;
import dev.parma.contracts.node.InstanceEvent;
import dev.parma.deployment.config.DeploymentConfig;
import dev.parma.deployment.group.LifecycleEvent.NodeLost;
import dev.parma.deployment.group.LifecycleEvent.TimedOut;
import dev.parma.deployment.node.Liveness;
import dev.parma.deployment.node.NodeClient;
import dev.parma.deployment.node.NodeEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.time.Duration;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The control plane's own clocks: groups waiting for a node are placed when room appears, groups on a node that is
 * gone are moved (Repairing), and groups that provision for too long fail.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    static final List<String> ON_A_NODE = List.of("Creating", "Updating", "Succeeded", "Repairing", "Failed",
            "Deleting");
    static final List<String> PROVISIONING = List.of("Pending", "Creating", "Updating", "Repairing");

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final Lifecycle lifecycle;
    private final DeploymentConfig config;
    private final Liveness liveness;
    private final NodeClient nodes;
    // node → the last heartbeat it was silent since when it answered a probe (to say so once)
    private final java.util.Map<String, Instant> answering = new java.util.concurrent.ConcurrentHashMap<>();
    // a pass over the fleet and an operator's release never run at once
    private final java.util.concurrent.locks.ReentrantLock judging = new java.util.concurrent.locks.ReentrantLock();

    Reconciler(Lifecycle lifecycle, DeploymentConfig config, Liveness liveness, NodeClient nodes) {
        this.lifecycle = lifecycle;
        this.config = config;
        this.liveness = liveness;
        this.nodes = nodes;
    }

    @Scheduled(every = "${parma.deployment.reconcile-every:5s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void placeWaiting() {
        var now = Instant.now();
        // locked: a returning node's heartbeat may adopt one of them at the same time (NodeReconciliation)
        List<ContainerGroupEntity> waiting = ContainerGroupEntity.find("nodeId is null and phase in ?1",
                List.of("Pending", "Repairing")).withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).list();
        for (var g : waiting) {
            lifecycle.tryPlace(g, now);
        }
    }

    /**
     * Declares lost, and moves the groups of, the nodes that are really gone: silent for the window in front of an
     * observer that was caught up on heartbeats ({@link Liveness}), and not answering a direct probe. If more of
     * the nodes holding groups look gone than the breaker allows, nothing is declared: that is more likely this
     * instance's (or its network's) fault than the fleet's, and an operator decides.
     */
    @Scheduled(every = "${parma.deployment.reconcile-every:5s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void moveGroupsOffLostNodes() {
        judging.lock();
        try {
            judge();
        } finally {
            judging.unlock();
        }
    }

    private void judge() {
        var now = Instant.now();
        var watching = liveness.judgeFrom(now);
        if (watching.isEmpty()) {
            return;
        }
        // silent: no heartbeat for the window, counting no earlier than when this instance started watching
        Instant silentBefore = now.minus(config.nodeLiveness());
        if (!watching.get().isBefore(silentBefore)) {
            return;
        }
        record Suspects(List<NodeEntity> silent, int fleet) {
        }
        var suspects = QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<String> holding = ContainerGroupEntity.getEntityManager().createQuery(
                    "select distinct g.nodeId from ContainerGroupEntity g where g.nodeId is not null and g.phase in ?1")
                    .setParameter(1, ON_A_NODE).getResultList();
            List<NodeEntity> silent = holding.isEmpty()
                    ? List.of()
                    : NodeEntity.list("id in ?1 and lastSeen < ?2", holding, silentBefore);
            return new Suspects(silent, holding.size());
        });
        if (suspects.silent().isEmpty()) {
            liveness.closed(ClosedBy.RECOVERY, now);
            return;
        }
        // probed outside any transaction, all at once: no answer within the timeout is no answer
        var probes = suspects.silent().stream().map(n -> nodes.probe(n, PROBE_TIMEOUT)).toList();
        List<String> gone = new java.util.ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            var node = suspects.silent().get(i);
            if (probes.get(i).join()) {
                if (node.lastSeen.equals(answering.put(node.id, node.lastSeen))) {
                    continue; // said once per silence
                }
                LOG.warnf("node %s sent no heartbeat since %s but answers: it keeps its groups", node.id,
                        node.lastSeen);
            } else {
                gone.add(node.id);
            }
        }
        if (gone.size() > liveness.allowed(suspects.fleet())) {
            liveness.tripped(gone, suspects.fleet(), now);
            return;
        }
        liveness.closed(ClosedBy.RECOVERY, now);
        for (String nodeId : gone) {
            QuarkusTransaction.requiringNew().call(() -> declareLost(nodeId, silentBefore, Instant.now()));
        }
    }

    /** What an operator's release of the breaker did: the nodes declared lost and the groups moved off them. */
    public record Released(List<String> nodes, int groupsMoved) {
    }

    /**
     * An operator decided the nodes the breaker holds back are really gone: those still silent are declared lost and
     * their groups moved (one that sent a heartbeat meanwhile keeps its groups), and the breaker closes. Empty if
     * the breaker is not open.
     */
    public java.util.Optional<Released> release() {
        judging.lock();
        try {
            var breaker = liveness.breaker();
            if (!breaker.open()) {
                return java.util.Optional.empty();
            }
            var now = Instant.now();
            Instant silentBefore = now.minus(config.nodeLiveness());
            List<String> lost = new java.util.ArrayList<>();
            int moved = 0;
            for (String nodeId : breaker.nodes()) {
                int n = QuarkusTransaction.requiringNew().call(() -> declareLost(nodeId, silentBefore, now));
                if (n >= 0) {
                    lost.add(nodeId);
                    moved += n;
                }
            }
            LOG.warnf("liveness breaker released by an operator: nodes %s declared lost, %d groups moved", lost, moved);
            liveness.closed(ClosedBy.OPERATOR, now);
            return java.util.Optional.of(new Released(lost, moved));
        } finally {
            judging.unlock();
        }
    }

    /**
     * Moves the groups off a node that is gone, unless a heartbeat from it arrived meanwhile. Returns how many were
     * moved, or -1 if the node is not declared lost.
     */
    private int declareLost(String nodeId, Instant silentBefore, Instant now) {
        int marked = NodeEntity.update("lostAt = ?1 where id = ?2 and lastSeen < ?3", now, nodeId, silentBefore);
        if (marked == 0) {
            return -1;
        }
        // locked (in id order, as the billing sweep locks): a concurrent writer would otherwise put the group back
        List<ContainerGroupEntity> stranded = ContainerGroupEntity.find("nodeId = ?1 and phase in ?2 order by id",
                nodeId, ON_A_NODE).withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).list();
        LOG.warnf("node %s lost (no heartbeat, no answer): moving its %d groups", nodeId, stranded.size());
        for (var g : stranded) {
            Lifecycle.addEvent(g, InstanceEvent.warning(null, "NodeLost", "The node running the group stopped"
                    + " responding; the group is being moved.", now));
            lifecycle.apply(g, new NodeLost(), now);
        }
        return stranded.size();
    }

    @Scheduled(every = "30s", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void failTimedOut() {
        var now = Instant.now();
        List<ContainerGroupEntity> late = ContainerGroupEntity.list("phase in ?1 and phaseSince < ?2", PROVISIONING,
                now.minus(config.provisioningTimeout()));
        for (var g : late) {
            lifecycle.apply(g, new TimedOut(), now);
        }
    }
}
