package dev.parma.attestation.api;

import dev.parma.attestation.attest.Attester;
import dev.parma.attestation.Metrics;
import dev.parma.attestation.token.Authorities;
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
 * the same under {@code /tenants/{tenant}} for the tenant's instance (its own policy, its own issuer URL). Answers
 * {@code {"token": "<JWT>"}}. Every
 * attestation is counted by outcome and reason ({@code parma_attestation_requests_total}) and timed
 * ({@code parma_attestation_duration_seconds}).
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class AttestResource {

    private final Attester attester;
    private final Authorities authorities;
    private final Metrics metrics;

    AttestResource(Attester attester, Authorities authorities, Metrics metrics) {
        this.attester = attester;
        this.authorities = authorities;
        this.metrics = metrics;
    }

    @POST
    @Path("attest/SevSnpVm")
    @NonBlocking
    public Uni<Map<String, String>> attest(@QueryParam("api-version") String apiVersion, byte[] body) {
        ApiVersions.check(apiVersion);
        return measured(attester.attestSevSnpVm(authorities.provider(), body));
    }

    @POST
    @Path("tenants/{tenant}/attest/SevSnpVm")
    @NonBlocking
    public Uni<Map<String, String>> attestForTenant(@PathParam("tenant") String tenant,
            @QueryParam("api-version") String apiVersion, byte[] body) {
        ApiVersions.check(apiVersion);
        return measured(attester.attestSevSnpVm(authorities.tenant(Tenants.check(tenant)), body));
    }

    private Uni<Map<String, String>> measured(Uni<String> token) {
        long start = System.nanoTime();
        return token.map(t -> Map.of("token", t))
                .onItem().invoke(t -> metrics.issued(System.nanoTime() - start))
                .onFailure().invoke(e -> metrics.rejected(
                        e instanceof AttestationException a ? a.code() : "InternalError", System.nanoTime() - start));
    }
}
