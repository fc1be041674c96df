package dev.parma.deployment.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.contracts.Json;
import dev.parma.deployment.quota.Quotas;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Locale;

/** ACI's Location_ListUsage. */
@Produces(MediaType.APPLICATION_JSON)
@Path("/subscriptions/{subscriptionId}/providers/Microsoft.ContainerInstance/locations/{location}/usages")
public class UsagesResource {

    private final Quotas quotas;

    UsagesResource(Quotas quotas) {
        this.quotas = quotas;
    }

    @GET
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

    /** ARM region names: "West Europe" and "westeurope" are the same region. */
    static String normalize(String location) {
        return location.toLowerCase(Locale.ROOT).replace(" ", "");
    }
}
