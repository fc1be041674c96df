package dev.parma.deployment.api;

import dev.parma.deployment.denial.PolicyDenialEntity;
import io.quarkus.panache.common.Parameters;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recent policy denials from the denial store, newest first (indexed): pre-flight's in the control plane and the
 * guests' that nodes reported. They outlive their groups until the retention purge. For operators, over all
 * subscriptions (the SRE overview) or one; tenants see their denials as instance events, as in ACI.
 */
@Path("/admin/policy-denials")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyDenials {

    /**
     * One denial; {@code count} folds repeats among the rows read (same group, container, point and reason) as the
     * instance view does, {@code time} is the latest.
     */
    public record Denial(Instant time, String resourceId, String container, String enforcementPoint, String reason,
            int count, String source, String nodeId) {
    }

    @GET
    public Map<String, List<Denial>> list(@QueryParam("subscription") String subscription,
            @QueryParam("top") Integer top) {
        int n = top == null ? 20 : top;
        if (n < 1 || n > OverviewResource.MAX_DENIALS) {
            throw ArmException.badRequest("InvalidParameter", "top must be between 1 and "
                    + OverviewResource.MAX_DENIALS + ".", "top");
        }
        return Map.of("value", recent(n, subscription));
    }

    /** The {@code top} most recent denials, of one subscription or (null) all, newest first. */
    static List<Denial> recent(int top, String subscription) {
        if (top == 0) {
            return List.of();
        }
        List<PolicyDenialEntity> rows = subscription == null
                ? PolicyDenialEntity.find("order by deniedAt desc, id").page(0, top).list()
                : PolicyDenialEntity.find("subscriptionId = :s order by deniedAt desc, id",
                        Parameters.with("s", subscription)).page(0, top).list();
        var folded = new LinkedHashMap<List<String>, Denial>();
        for (var r : rows) {
            folded.merge(Arrays.asList(r.resourceId, r.container, r.enforcementPoint, r.reason),
                    new Denial(r.deniedAt, r.resourceId, r.container, r.enforcementPoint, r.reason, 1, r.source,
                            r.nodeId),
                    (newer, older) -> new Denial(newer.time(), newer.resourceId(), newer.container(),
                            newer.enforcementPoint(), newer.reason(), newer.count() + 1, newer.source(),
                            newer.nodeId()));
        }
        return List.copyOf(folded.values());
    }
}
