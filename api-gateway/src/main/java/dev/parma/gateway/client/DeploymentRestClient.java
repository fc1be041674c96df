package dev.parma.gateway.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The deployment service's resource API. Only {@link Deployments} uses it. */
@RegisterRestClient(configKey = "deployment")
@RegisterClientHeaders(ForwardedHeaders.class)
@Path("/subscriptions/{sub}")
@Produces(MediaType.APPLICATION_JSON)
interface DeploymentRestClient {

    String GROUP = "/resourceGroups/{rg}/providers/Microsoft.ContainerInstance/containerGroups/{name}";

    @PUT
    @Path(GROUP)
    @Consumes(MediaType.APPLICATION_JSON)
    Response put(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @QueryParam("api-version") String apiVersion, String body);

    @PATCH
    @Path(GROUP)
    @Consumes(MediaType.APPLICATION_JSON)
    Response patch(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @QueryParam("api-version") String apiVersion, String body);

    @GET
    @Path(GROUP)
    Response get(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @QueryParam("api-version") String apiVersion);

    @DELETE
    @Path(GROUP)
    Response delete(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @QueryParam("api-version") String apiVersion);

    @POST
    @Path(GROUP + "/{action: start|stop|restart}")
    Response action(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @PathParam("action") String action, @QueryParam("api-version") String apiVersion);

    @GET
    @Path(GROUP + "/containers/{container}/logs")
    Response logs(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @PathParam("container") String container, @QueryParam("api-version") String apiVersion,
            @QueryParam("tail") Integer tail, @QueryParam("timestamps") Boolean timestamps);

    @POST
    @Path(GROUP + "/containers/{container}/exec")
    @Consumes(MediaType.APPLICATION_JSON)
    Response exec(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @PathParam("container") String container, @QueryParam("api-version") String apiVersion, String body);

    @GET
    @Path("/providers/Microsoft.ContainerInstance/containerGroups")
    Response listBySubscription(@PathParam("sub") String sub, @QueryParam("api-version") String apiVersion,
            @QueryParam("$skipToken") String skipToken);

    @GET
    @Path("/resourceGroups/{rg}/providers/Microsoft.ContainerInstance/containerGroups")
    Response listByResourceGroup(@PathParam("sub") String sub, @PathParam("rg") String rg,
            @QueryParam("api-version") String apiVersion, @QueryParam("$skipToken") String skipToken);

    @GET
    @Path("/providers/Microsoft.ContainerInstance/locations/{location}/usages")
    Response usages(@PathParam("sub") String sub, @PathParam("location") String location,
            @QueryParam("api-version") String apiVersion);

    @GET
    @Path("/providers/Microsoft.ContainerInstance/locations/{location}/operations/{id}")
    Response operation(@PathParam("sub") String sub, @PathParam("location") String location,
            @PathParam("id") String id, @QueryParam("api-version") String apiVersion);
}
