package dev.parma.gateway.arm;

import dev.parma.gateway.client.Deployments;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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

    @GET
    @Path("/providers/Microsoft.ContainerInstance/locations/{location}/operations/{id}")
    public Response operation(@PathParam("sub") String sub, @PathParam("location") String location,
            @PathParam("id") String id, @QueryParam("api-version") String apiVersion) {
        ApiVersions.require(apiVersion);
        return deployments.operation(sub, location, id, apiVersion);
    }
}
