package dev.parma.gateway.auth;

import dev.parma.contracts.arm.CloudError;
import dev.parma.gateway.Metrics;
import dev.parma.gateway.arm.ArmError;
import dev.parma.gateway.arm.SrePage;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authentication for every tenant API call: a bearer token verified by {@link TokenVerifier}. Management paths
 * ({@code /q/...}: health, metrics, OpenAPI) and the SRE page (static, no data) need none. Runs after routing, so unknown paths stay 404s.
 */
public class AuthFilter {

    private final TokenVerifier verifier;
    private final CurrentCaller current;
    private final Metrics metrics;

    AuthFilter(TokenVerifier verifier, CurrentCaller current, Metrics metrics) {
        this.verifier = verifier;
        this.current = current;
        this.metrics = metrics;
    }

    @ServerRequestFilter
    public Response authenticate(ContainerRequestContext ctx) {
        String path = ctx.getUriInfo().getPath();
        if (path.startsWith("/q/") || path.equals(SrePage.PATH)) {
            return null;
        }
        String header = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            metrics.authFailure(Metrics.AuthFailure.MISSING_TOKEN);
            return unauthorized(new ArmError(401, CloudError.of("AuthenticationFailed",
                    "Authentication failed. The 'Authorization' header is missing.")));
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            metrics.authFailure(Metrics.AuthFailure.NOT_BEARER);
            return unauthorized(new ArmError(401, CloudError.of("AuthenticationFailed",
                    "Authentication failed. The 'Authorization' header is not a Bearer token.")));
        }
        try {
            current.set(verifier.verify(header.substring(7).trim()));
            return null;
        } catch (ArmError e) {
            metrics.authFailure("ExpiredAuthenticationToken".equals(e.code())
                    ? Metrics.AuthFailure.EXPIRED_TOKEN
                    : Metrics.AuthFailure.INVALID_TOKEN);
            return unauthorized(e);
        }
    }

    private static Response unauthorized(ArmError e) {
        return Response.fromResponse(e.toResponse()).type(MediaType.APPLICATION_JSON)
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"").build();
    }
}
