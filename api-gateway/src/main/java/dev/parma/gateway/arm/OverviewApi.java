package dev.parma.gateway.arm;

import dev.parma.contracts.arm.CloudError;
import dev.parma.gateway.auth.Access;
import dev.parma.gateway.client.Operations;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The SRE page's data, for the SRE role only: nodes, container groups by phase, recent policy denials, the overhead
 * table (from the deployment service, which asks the nodes) and recent refused attestations (from the attestation
 * service), in one answer. {@code top} bounds the two recent lists (default 20, at most 200).
 */
@Path("/providers/Parma.Operations/overview")
@Produces(MediaType.APPLICATION_JSON)
public class OverviewApi {

    static final int MAX_TOP = 200;

    private final Access access;
    private final Operations operations;

    OverviewApi(Access access, Operations operations) {
        this.access = access;
        this.operations = operations;
    }

    @GET
    public Response overview(@QueryParam("api-version") String apiVersion, @QueryParam("top") String top,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        ApiVersions.require(apiVersion, "overview", ApiVersions.OPERATIONS);
        access.requireSre("Parma.Operations/overview/read");
        int n = top(top);
        // the attestation service checks the SRE role on the same token, so it goes along as it came
        return operations.overview(n, n, authorization);
    }

    private static int top(String top) {
        if (top == null) {
            return 20;
        }
        try {
            int n = Integer.parseInt(top.trim());
            if (n >= 1 && n <= MAX_TOP) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ArmError(400, CloudError.of("InvalidQueryParameterValue", "The query parameter 'top' must be an"
                + " integer from 1 to " + MAX_TOP + ".", "top"));
    }
}
