package dev.parma.deployment.api;

import dev.parma.contracts.arm.ErrorCodes;
import dev.parma.deployment.config.DeploymentConfig;
import dev.parma.deployment.group.ContainerGroupEntity;
import dev.parma.deployment.group.ContainerGroups;
import dev.parma.deployment.group.OperationEntity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The container-group resource at its ARM path. The api-gateway is the public front; this is the book of
 * record behind it. Long-running operations answer with Azure-AsyncOperation, Location and Retry-After.
 */
@Path("/subscriptions/{subscriptionId}")
@Produces(MediaType.APPLICATION_JSON)
public class ContainerGroupsResource {

    static final String PROVIDER = "/providers/Microsoft.ContainerInstance";
    static final String DEFAULT_API_VERSION = "2025-09-01";

    private final ContainerGroups groups;
    private final DeploymentConfig config;

    @Context
    UriInfo uri;

    ContainerGroupsResource(ContainerGroups groups, DeploymentConfig config) {
        this.groups = groups;
        this.config = config;
    }

    @PUT
    @Path("/resourceGroups/{resourceGroup}" + PROVIDER + "/containerGroups/{name}")
    @Consumes(MediaType.WILDCARD)
    public Response put(@PathParam("subscriptionId") String sub, @PathParam("resourceGroup") String rg,
            @PathParam("name") String name,
            @QueryParam("api-version") @DefaultValue(DEFAULT_API_VERSION) String apiVersion, String body) {
        var parsed = ErrorMappers.readBody(body, ContainerGroupBody.class);
        var accepted = groups.createOrUpdate(sub, rg, name, parsed);
        return lro(Response.status(accepted.created() ? 201 : 200), accepted.operation(), accepted.group().location,
                apiVersion).entity(GroupRenderer.group(accepted.group())).build();
    }

    @GET
    @Path("/resourceGroups/{resourceGroup}" + PROVIDER + "/containerGroups/{name}")
    public Response get(@PathParam("subscriptionId") String sub, @PathParam("resourceGroup") String rg,
            @PathParam("name") String name) {
        var group = ContainerGroupEntity.findByName(sub, rg, name).orElseThrow(() -> notFound(rg, name));
        return Response.ok(GroupRenderer.group(group)).build();
    }

    @DELETE
    @Path("/resourceGroups/{resourceGroup}" + PROVIDER + "/containerGroups/{name}")
    public Response delete(@PathParam("subscriptionId") String sub, @PathParam("resourceGroup") String rg,
            @PathParam("name") String name,
            @QueryParam("api-version") @DefaultValue(DEFAULT_API_VERSION) String apiVersion) {
        var location = ContainerGroupEntity.findByName(sub, rg, name).map(g -> g.location).orElse(null);
        var op = groups.delete(sub, rg, name);
        if (op.isEmpty()) {
            return Response.noContent().build();
        }
        if (OperationEntity.SUCCEEDED.equals(op.get().status)) {
            return Response.ok().build();
        }
        return lro(Response.accepted(), op.get(), location, apiVersion).build();
    }

    @GET
    @Path(PROVIDER + "/locations/{location}/operations/{operationId}")
    public Response operation(@PathParam("subscriptionId") String sub, @PathParam("location") String location,
            @PathParam("operationId") String operationId) {
        OperationEntity op = OperationEntity.findById(operationId);
        if (op == null || !op.subscriptionId.equals(sub)) {
            throw new ArmException(404, ErrorCodes.RESOURCE_NOT_FOUND, "The operation '" + operationId
                    + "' was not found.", null);
        }
        return Response.ok(GroupRenderer.operation(op, location)).build();
    }

    private Response.ResponseBuilder lro(Response.ResponseBuilder builder, OperationEntity op, String location,
            String apiVersion) {
        // The base is the tenant-facing one: the gateway forwards its Host (RFC 7239 Forwarded) to us.
        String base = uri.getBaseUri().toString().replaceAll("/$", "");
        String url = base + GroupRenderer.operationId(op, location) + "?api-version=" + apiVersion;
        return builder.header("Azure-AsyncOperation", url).header("Location", url)
                .header("Retry-After", config.retryAfterSeconds());
    }

    private static ArmException notFound(String rg, String name) {
        return new ArmException(404, ErrorCodes.RESOURCE_NOT_FOUND, "The Resource '" + GroupRenderer.TYPE + "/"
                + name + "' under resource group '" + rg + "' was not found.", null);
    }
}
