package dev.parma.gateway.arm;

import dev.parma.gateway.auth.Access;
import dev.parma.gateway.client.Operations;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The SRE node view: the deployment service's node inventory (capacity, SNP, TCB), for the SRE role only. */
@Path("/providers/Parma.Operations/nodes")
@Produces(MediaType.APPLICATION_JSON)
public class NodesApi {

    private final Access access;
    private final Operations operations;

    NodesApi(Access access, Operations operations) {
        this.access = access;
        this.operations = operations;
    }

    @GET
    public Response list(@QueryParam("api-version") String apiVersion) {
        ApiVersions.require(apiVersion, "nodes", ApiVersions.OPERATIONS);
        access.requireSre("Parma.Operations/nodes/read");
        return operations.nodes();
    }
}
