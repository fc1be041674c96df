package dev.parma.attestation.failures;

import dev.parma.contracts.arm.CloudError;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Sees every answer of the attest endpoints and records the refused ones in {@link RecentFailures}: the CloudError
 * code, the tenant from the path and the caller's address. Rate-limited requests (429) are only counted by the
 * metric: a flood must not push the real failures out of the list.
 */
public class FailureFilter {

    private static final Pattern ATTEST = Pattern.compile("/(?:tenants/([^/]+)/)?attest/SevSnpVm");
    private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final RecentFailures failures;

    FailureFilter(RecentFailures failures) {
        this.failures = failures;
    }

    @ServerResponseFilter
    public void refused(ContainerRequestContext request, ContainerResponseContext response, HttpServerRequest http) {
        int status = response.getStatus();
        if (status < 400 || status == 429) {
            return;
        }
        var m = ATTEST.matcher(request.getUriInfo().getPath());
        if (!m.matches()) {
            return;
        }
        String code = response.getEntity() instanceof CloudError e ? e.error().code() : "Http" + status;
        // the path's tenant is what the caller typed: keep it only if it is a valid tenant name
        String tenant = m.group(1) == null ? null : TENANT.matcher(m.group(1)).matches() ? m.group(1) : "(invalid)";
        String caller = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        failures.record(status, code, tenant, caller);
    }
}
