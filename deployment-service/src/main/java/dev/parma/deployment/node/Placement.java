package dev.parma.deployment.node;

import dev.parma.deployment.config.DeploymentConfig;
import dev.parma.deployment.group.ContainerGroupEntity;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Chooses a node for a group and keeps each node's reservation (the sum of the requests of the groups placed on
 * it). One query finds the best fit — live nodes that can run the SKU and have room, least CPU left over — and
 * locks it; {@code SKIP LOCKED} lets concurrent placements take the next best node instead of queueing behind
 * one row, and the lock plus the reservation in the same transaction mean no node is ever overbooked.
 */
@ApplicationScoped
public class Placement {

    private final DeploymentConfig config;

    Placement(DeploymentConfig config) {
        this.config = config;
    }

    /** The chosen node's id, locked for this transaction, or empty when no live node has room. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<String> place(ContainerGroupEntity group, boolean confidential) {
        Instant liveSince = Instant.now().minus(config.nodeLiveness());
        List<?> ids = Panache.getEntityManager().createNativeQuery("""
                SELECT id FROM nodes
                WHERE last_seen >= ?1 AND (snp OR NOT ?2) AND sealing_certificate IS NOT NULL
                  AND cpu_capacity - cpu_reserved >= ?3 AND memory_capacity - memory_reserved >= ?4
                ORDER BY cpu_capacity - cpu_reserved, id
                LIMIT 1 FOR UPDATE SKIP LOCKED""")
                .setParameter(1, liveSince).setParameter(2, confidential).setParameter(3, group.requestedCpu)
                .setParameter(4, group.requestedMemory).getResultList();
        return ids.isEmpty() ? Optional.empty() : Optional.of((String) ids.get(0));
    }

    /** Moves {@code cpu}/{@code memory} of reservation from one node to another (either may be null). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void move(String fromNode, String toNode, double cpu, double memory) {
        if (fromNode != null) {
            reserve(fromNode, -cpu, -memory);
        }
        if (toNode != null) {
            reserve(toNode, cpu, memory);
        }
    }

    /** Adds to (or, negative, takes from) a node's reservation. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reserve(String nodeId, double cpu, double memory) {
        Panache.getEntityManager().createNativeQuery("""
                UPDATE nodes SET cpu_reserved = GREATEST(0, cpu_reserved + ?2),
                                 memory_reserved = GREATEST(0, memory_reserved + ?3)
                WHERE id = ?1""").setParameter(1, nodeId).setParameter(2, cpu).setParameter(3, memory)
                .executeUpdate();
    }
}
