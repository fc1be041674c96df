package dev.parma.deployment.group;

import dev.parma.contracts.node.InstanceEvent;
import dev.parma.deployment.config.DeploymentConfig;
import dev.parma.deployment.group.LifecycleEvent.NodeLost;
import dev.parma.deployment.group.LifecycleEvent.TimedOut;
import dev.parma.deployment.node.NodeEntity;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The control plane's own clocks: groups waiting for a node are placed when room appears, groups on a node that
 * stopped sending heartbeats are moved (Repairing), and groups that provision for too long fail.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    static final List<String> ON_A_NODE = List.of("Creating", "Updating", "Succeeded", "Repairing", "Failed",
            "Deleting");
    static final List<String> PROVISIONING = List.of("Pending", "Creating", "Updating", "Repairing");

    private final Lifecycle lifecycle;
    private final DeploymentConfig config;

    Reconciler(Lifecycle lifecycle, DeploymentConfig config) {
        this.lifecycle = lifecycle;
        this.config = config;
    }

    @Scheduled(every = "${parma.deployment.reconcile-every:5s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void placeWaiting() {
        var now = Instant.now();
        List<ContainerGroupEntity> waiting = ContainerGroupEntity.list("nodeId is null and phase in ?1",
                List.of("Pending", "Repairing"));
        for (var g : waiting) {
            lifecycle.tryPlace(g, now);
        }
    }

    @Scheduled(every = "${parma.deployment.reconcile-every:5s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void moveGroupsOffLostNodes() {
        var now = Instant.now();
        List<NodeEntity> lost = NodeEntity.list("lastSeen < ?1", now.minus(config.nodeLiveness()));
        if (lost.isEmpty()) {
            return;
        }
        List<ContainerGroupEntity> stranded = ContainerGroupEntity.list("nodeId in ?1 and phase in ?2",
                lost.stream().map(n -> n.id).toList(), ON_A_NODE);
        for (var g : stranded) {
            LOG.warnf("node %s lost: moving group %s", g.nodeId, g.id);
            Lifecycle.addEvent(g, InstanceEvent.warning(null, "NodeLost", "The node running the group stopped"
                    + " responding; the group is being moved.", now));
            lifecycle.apply(g, new NodeLost(), now);
        }
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
