package dev.parma.gateway.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The attestation service's operator API (recent refused attestations). Only {@link Operations} uses it. */
@RegisterRestClient(configKey = "attestation")
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
interface AttestationAdminRestClient {

    /** {@code authorization}: the SRE's own bearer token; the attestation service checks the role itself. */
    @GET
    @Path("/attestation-failures")
    Response failures(@HeaderParam("Authorization") String authorization, @QueryParam("top") int top);
}
