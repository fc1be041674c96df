package dev.parma.attestation.api;

import dev.parma.attestation.attest.Attester;
import dev.parma.attestation.policy.PolicyStore;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * MAA's data plane for SEV-SNP: {@code POST /attest/SevSnpVm?api-version=2022-08-01} for the provider instance, and
 * the same under {@code /tenants/{tenant}} for a tenant's own policy. Answers {@code {"token": "<JWT>"}}.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class AttestResource {

    private final Attester attester;

    AttestResource(Attester attester) {
        this.attester = attester;
    }

    @POST
    @Path("attest/SevSnpVm")
    @NonBlocking
    public Uni<Map<String, String>> attest(@QueryParam("api-version") String apiVersion, byte[] body) {
        ApiVersions.check(apiVersion);
        return attester.attestSevSnpVm(PolicyStore.PROVIDER, body).map(t -> Map.of("token", t));
    }

    @POST
    @Path("tenants/{tenant}/attest/SevSnpVm")
    @NonBlocking
    public Uni<Map<String, String>> attestForTenant(@PathParam("tenant") String tenant,
            @QueryParam("api-version") String apiVersion, byte[] body) {
        ApiVersions.check(apiVersion);
        return attester.attestSevSnpVm(Tenants.check(tenant), body).map(t -> Map.of("token", t));
    }
}
