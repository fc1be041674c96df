package dev.parma.attestation.abuse;

import dev.parma.attestation.api.AttestationErrors;
import dev.parma.attestation.api.ErrorMappers;
import dev.parma.attestation.auth.AccessRules;
import dev.parma.attestation.config.AttestationConfig;
import dev.parma.contracts.arm.CloudError;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Abuse limits on every POST/PUT: a body-size cap (by Content-Length, which is required: a streamed body would only
 * be cut off by the HTTP layer, without an answer we control), a Content-Type that parses, and a rate limit per
 * {@link CallerKeys caller}. The open endpoints (attest, key release) are charged here, to the tenant of the path
 * where there is one and to the source; endpoints that need a token are charged to the token's tenant once it is
 * verified ({@link #admit}, from the access filter). All answers are CloudErrors (413, 411, 415, 429 with
 * Retry-After).
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
        if (length == null) {
            return Optional.of(ErrorMappers.json(411, CloudError.of("LengthRequired", "The request must carry a"
                    + " Content-Length (at most " + maxBytes + " bytes); streamed bodies are not accepted.")));
        }
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
        String type = request.getHeader("Content-Type");
        if (type != null) {
            try {
                MediaType.valueOf(type);
            } catch (IllegalArgumentException e) {
                return Optional.of(ErrorMappers.json(415, CloudError.of("UnsupportedMediaType",
                        "The Content-Type header does not parse as a media type.")));
            }
        }
        String path = ctx.getUriInfo().getPath();
        if (AccessRules.of(method, path) instanceof AccessRules.Open) {
            Optional<Response> byTenant = CallerKeys.tenantOf(path).flatMap(t -> admit(CallerKeys.tenant(t)));
            return byTenant.isPresent() ? byTenant : admit(CallerKeys.source(remote(request)));
        }
        return Optional.empty();
    }

    /** Charges one request to {@code key}: empty if admitted, else the 429 to answer. */
    public Optional<Response> admit(String key) {
        if (limiter.tryAcquire(key)) {
            return Optional.empty();
        }
        Response r = ErrorMappers.json(429, CloudError.of(AttestationErrors.TOO_MANY_REQUESTS,
                "Too many requests from this caller; retry later."));
        return Optional.of(Response.fromResponse(r).header("Retry-After", "1").build());
    }

    public static String remote(HttpServerRequest request) {
        return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }
}
