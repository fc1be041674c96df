package dev.parma.identity.vertx;

import dev.parma.contracts.Json;
import dev.parma.contracts.arm.CloudError;
import dev.parma.identity.CallerPolicy;
import dev.parma.identity.PlatformTrust;
import dev.parma.identity.Principal;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Applies a {@link CallerPolicy} to every request by the principal of its TLS client certificate; services install it
 * on their Vert.x router ahead of every route. Refusals are ARM CloudErrors.
 */
public final class CallerCheck implements Handler<RoutingContext> {

    private final CallerPolicy policy;

    public CallerCheck(CallerPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Optional<Principal> caller = peer(ctx);
        switch (policy.check(ctx.request().path(), caller)) {
            case ALLOWED -> ctx.next();
            case UNAUTHENTICATED -> refuse(ctx, 401, "Unauthenticated",
                    "This is an internal service: callers present a platform client certificate.");
            case FORBIDDEN -> refuse(ctx, 403, "AuthorizationFailed",
                    "The caller '" + caller.orElseThrow().commonName() + "' may not call this path.");
        }
    }

    /** The platform principal of the request's TLS client certificate, if it presented one. */
    public static Optional<Principal> peer(RoutingContext ctx) {
        var ssl = ctx.request().sslSession();
        if (ssl == null) {
            return Optional.empty();
        }
        try {
            return PlatformTrust.peer(ssl.getPeerCertificates());
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    private static void refuse(RoutingContext ctx, int status, String code, String message) {
        String body;
        try {
            body = Json.mapper().writeValueAsString(CloudError.of(code, message));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            body = "{\"error\":{\"code\":\"" + code + "\"}}";
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }
}
