package dev.parma.gateway.client;

import dev.parma.contracts.arm.CloudError;
import dev.parma.gateway.Metrics;
import dev.parma.gateway.arm.ArmError;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A backend's answer passed on to the caller with its status, JSON body and ARM headers. If the backend cannot be
 * reached the caller gets a retryable 503 CloudError, not a stack trace; both that and a 5xx answer are counted.
 */
final class Relay {

    private static final Logger LOG = Logger.getLogger(Relay.class);
    private static final List<String> RELAYED_HEADERS = List.of("Azure-AsyncOperation", "Location", "Retry-After");

    private Relay() {
    }

    static Response relay(Metrics metrics, String upstream, Supplier<Response> call) {
        try (Response answer = call.get()) {
            if (answer.getStatus() >= 500) {
                metrics.upstreamError(upstream, "server_error");
            }
            var out = Response.status(answer.getStatus());
            if (answer.hasEntity()) {
                String body = answer.readEntity(String.class);
                out.entity(answer.getStatus() >= 400 ? RelayedErrors.clean(answer.getStatus(), body) : body)
                        .type(MediaType.APPLICATION_JSON);
            }
            for (String h : RELAYED_HEADERS) {
                String v = answer.getHeaderString(h);
                if (v != null) {
                    out.header(h, v);
                }
            }
            return out.build();
        } catch (ProcessingException e) {
            throw unreachable(metrics, upstream, e);
        }
    }

    /** Counts and logs an unreachable backend; the 503 the caller gets. */
    static ArmError unreachable(Metrics metrics, String upstream, ProcessingException e) {
        metrics.upstreamError(upstream, "unreachable");
        LOG.warnf("%s service unreachable: %s", upstream, e.getMessage());
        return new ArmError(503, CloudError.of("ServiceUnavailable",
                "The service is temporarily unavailable; retry the request."));
    }
}
