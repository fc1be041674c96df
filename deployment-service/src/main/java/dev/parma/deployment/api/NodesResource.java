package dev.parma.deployment.api;

import dev.parma.deployment.config.DeploymentConfig;
import dev.parma.deployment.group.ContainerGroupEntity;
import dev.parma.deployment.node.NodeEntity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The node inventory for operators (the gateway serves it to the SRE role): capacity, reservations, health. */
@Path("/admin/nodes")
@Produces(MediaType.APPLICATION_JSON)
public class NodesResource {

    /** One node: what it offers, what the control plane reserved on it, what it reports using, and liveness. */
    public record NodeView(String id, String driver, boolean snp, boolean simulated, String tcb, double cpuCapacity,
            double memoryCapacityInGB, double cpuReserved, double memoryReservedInGB, double cpuUsed,
            double memoryUsedInGB, long groups, Instant lastSeen, boolean live) {
    }

    private final DeploymentConfig config;

    NodesResource(DeploymentConfig config) {
        this.config = config;
    }

    @GET
    public Map<String, List<NodeView>> list() {
        var reserved = new HashMap<String, Object[]>();
        ContainerGroupEntity.getEntityManager().createQuery("select g.nodeId, count(g) from ContainerGroupEntity g"
                + " where g.nodeId is not null group by g.nodeId", Object[].class).getResultList()
                .forEach(r -> reserved.put((String) r[0], r));
        Instant liveSince = Instant.now().minus(config.nodeLiveness());
        List<NodeEntity> nodes = NodeEntity.listAll(io.quarkus.panache.common.Sort.by("id"));
        return Map.of("value", nodes.stream().map(n -> {
            var r = reserved.get(n.id);
            return new NodeView(n.id, n.driver, n.snp, n.simulated, n.tcb, n.cpuCapacity, n.memoryCapacity,
                    n.cpuReserved, n.memoryReserved,
                    n.cpuUsed, n.memoryUsed, r == null ? 0 : ((Number) r[1]).longValue(), n.lastSeen,
                    !n.lastSeen.isBefore(liveSince));
        }).toList());
    }
}
