package dev.parma.attestation.abuse;

import dev.parma.attestation.api.AttestationErrors;
import dev.parma.attestation.api.ErrorMappers;
import dev.parma.attestation.config.AttestationConfig;
import dev.parma.contracts.arm.CloudError;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Abuse limits on every POST/PUT: a body-size cap (by Content-Length; bodies without one stop at
 * quarkus.http.limits.max-body-size) and a per-caller rate limit keyed by the client address. Both answer with a
 * CloudError (413 RequestEntityTooLarge, 429 TooManyRequests with Retry-After).
 */
@ApplicationScoped
public class RequestLimits {
    private final RateLimiter limiter;
    private final long maxBytes;

    RequestLimits(AttestationConfig config) {
        // the system clock on purpose: a pinned test clock must not freeze the buckets
        this.limiter = new RateLimiter(config.limits().requestsPerSecond(), config.limits().burst(), Clock
                .systemUTC());
        this.maxBytes = config.limits().maxRequestBytes();
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> limit(ContainerRequestContext ctx, HttpServerRequest request) {
        String method = ctx.getMethod();
        if (!"POST".equals(method) && !"PUT".equals(method)) {
            return Optional.empty();
        }
        String length = request.getHeader("Content-Length");
        if (length != null) {
            long n;
            try {
                n = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                n = Long.MAX_VALUE;
            }
            if (n > maxBytes) {
                return Optional.of(ErrorMappers.json(413, CloudError.of(AttestationErrors.REQUEST_TOO_LARGE,
                        "The request body is larger than " + maxBytes + " bytes.")));
            }
        }
        String caller = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        if (!limiter.tryAcquire(caller)) {
            Response r = ErrorMappers.json(429, CloudError.of(AttestationErrors.TOO_MANY_REQUESTS,
                    "Too many requests from this caller; retry later."));
            return Optional.of(Response.fromResponse(r).header("Retry-After", "1").build());
        }
        return Optional.empty();
    }
}
