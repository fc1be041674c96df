package dev.parma.attestation.auth;

import dev.parma.attestation.abuse.CallerKeys;
import dev.parma.attestation.abuse.RequestLimits;
import dev.parma.attestation.api.AttestationErrors;
import dev.parma.attestation.api.ErrorMappers;
import dev.parma.contracts.arm.CloudError;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.json.JsonString;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Enforces {@link AccessRules} after routing (unknown paths stay 404s). The bearer token is verified only when a
 * rule needs it (proactive authentication is off), so the open attest endpoint never pays for it and never fails on
 * a foreign Authorization header. Answers like the api-gateway: no or bad token → 401, another tenant → 404 (the
 * same as a tenant that does not exist), a role that does not allow the action → 403.
 */
public class AccessFilter {

    private final CurrentIdentityAssociation identities;
    private final RequestLimits limits;

    AccessFilter(CurrentIdentityAssociation identities, RequestLimits limits) {
        this.identities = identities;
        this.limits = limits;
    }

    @ServerRequestFilter
    public Uni<Response> authorize(ContainerRequestContext ctx, HttpServerRequest http) {
        AccessRules.Need need = AccessRules.of(ctx.getMethod(), ctx.getUriInfo().getPath());
        if (need instanceof AccessRules.Open) {
            return Uni.createFrom().nullItem();
        }
        boolean hasHeader = ctx.getHeaderString(HttpHeaders.AUTHORIZATION) != null;
        boolean write = "POST".equals(ctx.getMethod()) || "PUT".equals(ctx.getMethod());
        return identities.getDeferredIdentity().map(id -> {
            Response refused = decide(need, id, hasHeader);
            if (!write) {
                return refused;
            }
            // writes are rate-limited: a verified tenant's to the tenant, whoever the source; the rest by source
            String key = refused == null && need instanceof AccessRules.Tenant t
                    ? CallerKeys.tenant(t.tenant())
                    : refused == null ? "operators" : CallerKeys.source(RequestLimits.remote(http));
            return limits.admit(key).orElse(refused);
        }).onFailure(AuthenticationFailedException.class).recoverWithItem(e -> limits.admit(CallerKeys.source(
                RequestLimits.remote(http))).orElseGet(
                        () -> unauthorized("InvalidAuthenticationToken",
                                "The access token is invalid, expired or from an issuer that is not trusted.")));
    }

    static Response decide(AccessRules.Need need, SecurityIdentity id, boolean hasHeader) {
        if (id.isAnonymous()) {
            return hasHeader
                    ? unauthorized("InvalidAuthenticationToken", "The 'Authorization' header is not a Bearer token.")
                    : unauthorized("AuthenticationFailed", "Authentication failed. The 'Authorization' header is"
                            + " missing.");
        }
        String caller = claim(id, "oid");
        caller = caller != null ? caller : id.getPrincipal().getName();
        if (need instanceof AccessRules.Operator op) {
            return id.hasRole(Roles.SRE) ? null : forbidden(caller, op.action());
        }
        var t = (AccessRules.Tenant) need;
        String tid = claim(id, "tid");
        if (tid == null || !tid.equals(t.tenant())) {
            return ErrorMappers.json(404, CloudError.of(AttestationErrors.NOT_FOUND, "The tenant '" + t.tenant()
                    + "' could not be found.", "tenant"));
        }
        boolean allowed = id.hasRole(Roles.TENANT_OWNER) || !t.write() && id.hasRole(Roles.TENANT_READER);
        return allowed ? null : forbidden(caller, t.action());
    }

    private static String claim(SecurityIdentity id, String name) {
        Object v = id.getPrincipal() instanceof JsonWebToken jwt ? jwt.getClaim(name) : null;
        return v instanceof JsonString s ? s.getString() : v instanceof String s ? s : null;
    }

    private static Response unauthorized(String code, String message) {
        return Response.fromResponse(ErrorMappers.json(401, CloudError.of(code, message))).header(
                HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    private static Response forbidden(String caller, String action) {
        return ErrorMappers.json(403, CloudError.of("AuthorizationFailed", "The client '" + caller + "' does not"
                + " have authorization to perform action '" + action + "'."));
    }
}
