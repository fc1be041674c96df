package dev.parma.gateway.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.gateway.auth.Access;
import dev.parma.gateway.auth.Access.Action;
import dev.parma.gateway.client.Deployments;
import dev.parma.gateway.limits.WriteLimiter;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The tenant-facing Microsoft.ContainerInstance API. The gateway owns what is the front door's: api-version,
 * body limits, authentication, authorization and rate limits; the resource itself lives in the
 * deployment service.
 */
@Path("/subscriptions/{sub}")
@Produces(MediaType.APPLICATION_JSON)
public class ContainerGroupsApi {

    private static final String GROUP = "/resourceGroups/{rg}/providers/Microsoft.ContainerInstance/containerGroups/{name}";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Deployments deployments;
    private final Access access;
    private final WriteLimiter limiter;

    ContainerGroupsApi(Deployments deployments, Access access, WriteLimiter limiter) {
        this.deployments = deployments;
        this.access = access;
        this.limiter = limiter;
    }

    /** The body's {@code location}, matched case-insensitively as ARM does; null if there is none. */
    static String locationOf(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.isObject()) {
                for (var it = n.fields(); it.hasNext();) {
                    var f = it.next();
                    if (f.getKey().equalsIgnoreCase("location") && f.getValue().isTextual()) {
                        return f.getValue().asText();
                    }
                }
            }
        } catch (Exception invalid) {
            // the deployment service answers the CloudError for a malformed body
        }
        return null;
    }

    @PUT
    @Path(GROUP)
    @Consumes(MediaType.WILDCARD)
    public Response put(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @QueryParam("api-version") String apiVersion, String body) {
        ApiVersions.require(apiVersion);
        access.check(sub, Action.WRITE);
        String text = body == null ? "" : body;
        limiter.acquire(sub, locationOf(text), "create");
        return deployments.put(sub, rg, name, apiVersion, text);
    }

    /** Updates tags only, as ACI's PATCH does. */
    @PATCH
    @Path(GROUP)
    @Consumes(MediaType.WILDCARD)
    public Response patch(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @QueryParam("api-version") String apiVersion, String body) {
        ApiVersions.require(apiVersion);
        access.check(sub, Action.WRITE);
        return deployments.patch(sub, rg, name, apiVersion, body == null ? "" : body);
    }

    @GET
    @Path(GROUP)
    public Response get(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @QueryParam("api-version") String apiVersion) {
        ApiVersions.require(apiVersion);
        access.check(sub, Action.READ);
        return deployments.get(sub, rg, name, apiVersion);
    }

    @DELETE
    @Path(GROUP)
    public Response delete(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @QueryParam("api-version") String apiVersion) {
        ApiVersions.require(apiVersion);
        access.check(sub, Action.DELETE);
        limiter.acquire(sub, deployments.locationOf(sub, rg, name, apiVersion), "delete");
        return deployments.delete(sub, rg, name, apiVersion);
    }

    /** ACI's start (202/204), stop (204, synchronous) and restart (204, long-running). */
    @POST
    @Path(GROUP + "/{action: start|stop|restart}")
    public Response action(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @PathParam("action") String action, @QueryParam("api-version") String apiVersion) {
        ApiVersions.require(apiVersion);
        access.check(sub, Action.ACTION);
        return deployments.action(sub, rg, name, action, apiVersion);
    }

    /**
     * ACI's container logs ({@code {"content": "..."}}), relayed to the deployment service. Tenant owners and
     * readers only: SRE does not read tenant logs (the workload is confidential).
     */
    @GET
    @Path(GROUP + "/containers/{container}/logs")
    public Response logs(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @PathParam("container") String container, @QueryParam("api-version") String apiVersion,
            @QueryParam("tail") Integer tail, @QueryParam("timestamps") Boolean timestamps) {
        ApiVersions.require(apiVersion);
        access.check(sub, Action.LOGS);
        if (tail != null && tail < 0) {
            throw new ArmError(400, dev.parma.contracts.arm.CloudError.of("InvalidParameter",
                    "tail must be a non-negative number of lines.", "tail"));
        }
        return deployments.logs(sub, rg, name, container, apiVersion, tail, timestamps);
    }

    /**
     * ACI's Containers_ExecuteCommand: {@code {"command", "terminalSize"}} → {@code {"webSocketUri", "password"}}.
     * Tenant owners only: readers and SRE get no shell in a confidential workload.
     */
    @POST
    @Path(GROUP + "/containers/{container}/exec")
    @Consumes(MediaType.WILDCARD)
    public Response exec(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @PathParam("container") String container, @QueryParam("api-version") String apiVersion, String body) {
        ApiVersions.require(apiVersion);
        access.check(sub, Action.EXEC);
        return deployments.exec(sub, rg, name, container, apiVersion, ExecRequest.validate(body));
    }

    @GET
    @Path("/providers/Microsoft.ContainerInstance/containerGroups")
    public Response listBySubscription(@PathParam("sub") String sub, @QueryParam("api-version") String apiVersion,
            @QueryParam("$skipToken") String skipToken) {
        ApiVersions.require(apiVersion);
        access.check(sub, Action.READ);
        return deployments.list(sub, null, apiVersion, skipToken);
    }

    @GET
    @Path("/resourceGroups/{rg}/providers/Microsoft.ContainerInstance/containerGroups")
    public Response listByResourceGroup(@PathParam("sub") String sub, @PathParam("rg") String rg,
            @QueryParam("api-version") String apiVersion, @QueryParam("$skipToken") String skipToken) {
        ApiVersions.require(apiVersion);
        access.check(sub, Action.READ);
        return deployments.list(sub, rg, apiVersion, skipToken);
    }

    @GET
    @Path("/providers/Microsoft.ContainerInstance/locations/{location}/usages")
    public Response usages(@PathParam("sub") String sub, @PathParam("location") String location,
            @QueryParam("api-version") String apiVersion) {
        ApiVersions.require(apiVersion);
        access.check(sub, Action.USAGES);
        return deployments.usages(sub, location, apiVersion);
    }

    @GET
    @Path("/providers/Microsoft.ContainerInstance/locations/{location}/operations/{id}")
    public Response operation(@PathParam("sub") String sub, @PathParam("location") String location,
            @PathParam("id") String id, @QueryParam("api-version") String apiVersion) {
        ApiVersions.require(apiVersion);
        access.check(sub, Action.READ);
        return deployments.operation(sub, location, id, apiVersion);
    }
}
