package dev.parma.deployment.node;

import dev.parma.deployment.config.DeploymentConfig;
import dev.parma.deployment.group.ContainerGroupEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Chooses a node for a group: live nodes that can run its SKU and have room for its requests, best fit
 * (least CPU left over). The chosen node's row is locked, so two concurrent placements on one node are
 * serialized and cannot overbook it.
 */
@ApplicationScoped
public class Placement {

    private final DeploymentConfig config;

    Placement(DeploymentConfig config) {
        this.config = config;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<NodeEntity> place(ContainerGroupEntity group, boolean confidential) {
        Instant liveSince = Instant.now().minus(config.nodeLiveness());
        List<NodeEntity> candidates = NodeEntity.list("lastSeen >= ?1 and (snp = true or ?2 = false) order by id",
                liveSince, confidential);
        NodeEntity best = null;
        double bestLeft = Double.MAX_VALUE;
        for (var node : candidates) {
            double[] used = reserved(node.id);
            double cpuLeft = node.cpuCapacity - used[0] - group.requestedCpu;
            double memLeft = node.memoryCapacity - used[1] - group.requestedMemory;
            if (cpuLeft >= 0 && memLeft >= 0 && cpuLeft < bestLeft) {
                best = node;
                bestLeft = cpuLeft;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        NodeEntity locked = NodeEntity.findById(best.id, LockModeType.PESSIMISTIC_WRITE);
        double[] used = reserved(locked.id);
        if (locked.cpuCapacity - used[0] < group.requestedCpu
                || locked.memoryCapacity - used[1] < group.requestedMemory) {
            return Optional.empty(); // lost a race for the last room on it; the caller retries later
        }
        return Optional.of(locked);
    }

    private static double[] reserved(String nodeId) {
        Object[] row = ContainerGroupEntity.getEntityManager().createQuery(
                "select coalesce(sum(g.requestedCpu), 0), coalesce(sum(g.requestedMemory), 0)"
                        + " from ContainerGroupEntity g where g.nodeId = ?1",
                Object[].class)
                .setParameter(1, nodeId).getSingleResult();
        return new double[]{((Number) row[0]).doubleValue(), ((Number) row[1]).doubleValue()};
    }
}
