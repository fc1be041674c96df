package dev.parma.attestation.api;

import dev.parma.attestation.failures.RecentFailures;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/**
 * Operators' view of refused attestations, newest first: {@code {"value": [{time, status, code, tenant, caller}]}}.
 * The api-gateway shows it to the SRE role on the SRE page.
 */
@Path("/admin/attestation-failures")
@Produces(MediaType.APPLICATION_JSON)
public class FailuresResource {

    static final int MAX = 200;

    private final RecentFailures failures;

    FailuresResource(RecentFailures failures) {
        this.failures = failures;
    }

    @GET
    public Map<String, List<RecentFailures.Failure>> recent(@QueryParam("top") Integer top) {
        int n = top == null ? 20 : top;
        if (n < 1 || n > MAX) {
            throw AttestationException.badRequest(AttestationErrors.INVALID_REQUEST_CONTENT,
                    "top must be between 1 and " + MAX + ".", "top");
        }
        return Map.of("value", failures.recent(n));
    }
}
