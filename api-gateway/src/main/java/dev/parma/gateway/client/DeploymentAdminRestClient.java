package dev.parma.gateway.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The deployment service's operator API (node inventory, overview). Only {@link Operations} uses it. */
@RegisterRestClient(configKey = "deployment")
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
interface DeploymentAdminRestClient {

    @GET
    @Path("/nodes")
    Response nodes();

    @GET
    @Path("/overview")
    Response overview(@QueryParam("denials") int denials);
}
