package dev.parma.deployment.api;

import dev.parma.deployment.config.DeploymentConfig;
import dev.parma.deployment.group.ContainerGroupEntity;
import dev.parma.deployment.node.Liveness;
import dev.parma.deployment.node.NodeEntity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/**
 * What an SRE looks at first, in one answer (the gateway serves it to the SRE role with the attestation service's
 * recent failures): the node inventory, container groups counted by lifecycle phase and SKU, recent policy denials,
 * the fleet's enclave-overhead table, merged from the live nodes, and the liveness breaker.
 */
@Path("/admin/overview")
@Produces(MediaType.APPLICATION_JSON)
public class OverviewResource {

    static final int MAX_DENIALS = 200;

    @jakarta.inject.Inject
    dev.parma.deployment.node.NodeClient nodeClient;

    /** Groups in one lifecycle phase ({@code GroupPhase} names) and SKU. */
    public record GroupCount(String phase, String sku, long count) {
    }

    /** {@code liveness}: the breaker on declaring nodes lost (open, since, the nodes it holds back, the share). */
    public record Overview(Instant generatedAt, List<NodesResource.NodeView> nodes, List<GroupCount> groups,
            List<PolicyDenials.Denial> denials, FleetOverhead.Overhead overhead, Liveness.Breaker liveness) {
    }

    private final NodesResource nodes;
    private final DeploymentConfig config;
    private final Liveness liveness;

    OverviewResource(NodesResource nodes, DeploymentConfig config, Liveness liveness) {
        this.nodes = nodes;
        this.config = config;
        this.liveness = liveness;
    }

    @GET
    public Overview overview(@QueryParam("denials") Integer denials) {
        int top = denials == null ? 20 : denials;
        if (top < 0 || top > MAX_DENIALS) {
            throw ArmException.badRequest("InvalidParameter", "denials must be between 0 and " + MAX_DENIALS + ".",
                    "denials");
        }
        var groups = ContainerGroupEntity.getEntityManager().createQuery("select g.phase, g.sku, count(g) from"
                + " ContainerGroupEntity g group by g.phase, g.sku order by g.phase, g.sku", Object[].class)
                .getResultList().stream()
                .map(r -> new GroupCount((String) r[0], (String) r[1], ((Number) r[2]).longValue())).toList();
        List<NodeEntity> live = NodeEntity.list("lastSeen >= ?1", Instant.now().minus(config.nodeLiveness()));
        return new Overview(Instant.now(), nodes.list().get("value"), groups, PolicyDenials.recent(top, null),
                FleetOverhead.of(live, nodeClient), liveness.breaker());
    }
}
