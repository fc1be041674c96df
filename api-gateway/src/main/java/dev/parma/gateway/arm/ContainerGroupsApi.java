package dev.parma.gateway.arm;

import dev.parma.gateway.client.Deployments;
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
 * body limits and (soon) authentication, authorization and rate limits; the resource itself lives in the
 * deployment service.
 */
@Path("/subscriptions/{sub}")
@Produces(MediaType.APPLICATION_JSON)
public class ContainerGroupsApi {

    private static final String GROUP = "/resourceGroups/{rg}/providers/Microsoft.ContainerInstance/containerGroups/{name}";

    private final Deployments deployments;

    ContainerGroupsApi(Deployments deployments) {
        this.deployments = deployments;
    }

    @PUT
    @Path(GROUP)
    @Consumes(MediaType.WILDCARD)
    public Response put(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @QueryParam("api-version") String apiVersion, String body) {
        ApiVersions.require(apiVersion);
        return deployments.put(sub, rg, name, apiVersion, body == null ? "" : body);
    }

    @GET
    @Path(GROUP)
    public Response get(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @QueryParam("api-version") String apiVersion) {
        ApiVersions.require(apiVersion);
        return deployments.get(sub, rg, name, apiVersion);
    }

    @DELETE
    @Path(GROUP)
    public Response delete(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @QueryParam("api-version") String apiVersion) {
        ApiVersions.require(apiVersion);
        return deployments.delete(sub, rg, name, apiVersion);
    }

    /** ACI's start (202/204), stop (204, synchronous) and restart (204, long-running). */
    @POST
    @Path(GROUP + "/{action: start|stop|restart}")
    public Response action(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @PathParam("action") String action, @QueryParam("api-version") String apiVersion) {
        ApiVersions.require(apiVersion);
        return deployments.action(sub, rg, name, action, apiVersion);
    }

    @GET
    @Path("/providers/Microsoft.ContainerInstance/containerGroups")
    public Response listBySubscription(@PathParam("sub") String sub, @QueryParam("api-version") String apiVersion,
            @QueryParam("$skipToken") String skipToken) {
        ApiVersions.require(apiVersion);
        return deployments.list(sub, null, apiVersion, skipToken);
    }

    @GET
    @Path("/resourceGroups/{rg}/providers/Microsoft.ContainerInstance/containerGroups")
    public Response listByResourceGroup(@PathParam("sub") String sub, @PathParam("rg") String rg,
            @QueryParam("api-version") String apiVersion, @QueryParam("$skipToken") String skipToken) {
        ApiVersions.require(apiVersion);
        return deployments.list(sub, rg, apiVersion, skipToken);
    }

    @GET
    @Path("/providers/Microsoft.ContainerInstance/locations/{location}/usages")
    public Response usages(@PathParam("sub") String sub, @PathParam("location") String location,
            @QueryParam("api-version") String apiVersion) {
        ApiVersions.require(apiVersion);
        return deployments.usages(sub, location, apiVersion);
    }

    @GET
    @Path("/providers/Microsoft.ContainerInstance/locations/{location}/operations/{id}")
    public Response operation(@PathParam("sub") String sub, @PathParam("location") String location,
            @PathParam("id") String id, @QueryParam("api-version") String apiVersion) {
        ApiVersions.require(apiVersion);
        return deployments.operation(sub, location, id, apiVersion);
    }
}
