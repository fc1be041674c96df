package dev.parma.deployment.api;

import dev.parma.deployment.quota.QuotaName;
import dev.parma.deployment.quota.Quotas;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Operator overrides of quota limits. Internal: the api-gateway does not route /admin. */
@Path("/admin/quotas/{subscriptionId}/{location}/{quotaName}")
@Produces(MediaType.APPLICATION_JSON)
public class QuotaAdminResource {

    private final Quotas quotas;

    QuotaAdminResource(Quotas quotas) {
        this.quotas = quotas;
    }

    /** Body: {"limit": number}. */
    public record LimitBody(Double limit) {
    }

    @PUT
    @Consumes(MediaType.WILDCARD)
    public Response setLimit(@PathParam("subscriptionId") String sub, @PathParam("location") String location,
            @PathParam("quotaName") String quotaName, String body) {
        QuotaName name;
        try {
            name = QuotaName.valueOf(quotaName);
        } catch (IllegalArgumentException e) {
            throw ArmException.badRequest("InvalidQuotaName", "Unknown quota '" + quotaName + "'.", "quotaName");
        }
        var parsed = ErrorMappers.readBody(body, LimitBody.class);
        if (parsed.limit() == null || parsed.limit() < 0) {
            throw ArmException.badRequest("InvalidPropertyValue", "limit must be a number >= 0.", "limit");
        }
        quotas.setLimit(sub, UsagesResource.normalize(location), name, parsed.limit());
        return Response.noContent().build();
    }

}
