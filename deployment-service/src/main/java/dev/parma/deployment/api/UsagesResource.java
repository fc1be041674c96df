package dev.parma.deployment.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.contracts.Json;
import dev.parma.deployment.quota.QuotaName;
import dev.parma.deployment.quota.Quotas;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;

/** ACI's Location_ListUsage, and the admin override of quota limits (internal: the gateway does not route it). */
@Produces(MediaType.APPLICATION_JSON)
@Path("/")
public class UsagesResource {

    private final Quotas quotas;

    UsagesResource(Quotas quotas) {
        this.quotas = quotas;
    }

    @GET
    @Path("subscriptions/{subscriptionId}/providers/Microsoft.ContainerInstance/locations/{location}/usages")
    public ObjectNode usages(@PathParam("subscriptionId") String sub, @PathParam("location") String location) {
        String loc = normalize(location);
        ObjectNode out = Json.mapper().createObjectNode();
        var value = out.putArray("value");
        for (var u : quotas.usages(sub, loc)) {
            var row = value.addObject();
            row.put("id", "/subscriptions/" + sub + "/providers/Microsoft.ContainerInstance/locations/" + loc
                    + "/usages/" + u.name().name());
            row.put("unit", "Count");
            row.put("currentValue", u.currentValue());
            row.put("limit", u.limit());
            row.putObject("name").put("value", u.name().name()).put("localizedValue", u.name().localizedName());
        }
        return out;
    }

    /** Body: {"limit": number}. */
    public record LimitBody(Double limit) {
    }

    @PUT
    @Path("admin/quotas/{subscriptionId}/{location}/{quotaName}")
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
        quotas.setLimit(sub, normalize(location), name, parsed.limit());
        return Response.noContent().build();
    }

    /** ARM region names: "West Europe" and "westeurope" are the same region. */
    static String normalize(String location) {
        return location.toLowerCase(Locale.ROOT).replace(" ", "");
    }
}
