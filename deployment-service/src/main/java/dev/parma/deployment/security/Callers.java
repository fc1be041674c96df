package dev.parma.deployment.security;

import static dev.parma.identity.CallerPolicy.ANYONE;
import static dev.parma.identity.CallerPolicy.services;

import dev.parma.identity.CallerPolicy;
import dev.parma.identity.CallerPolicy.Rule;
import dev.parma.identity.ServiceName;
import dev.parma.identity.vertx.CallerCheck;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * Who may call the deployment service: a platform principal (its TLS client certificate), decided by
 * its principal, before any route runs (a route added later is closed until a rule opens it). Tenants never reach
 * it: their tokens are for the gateway, which calls here as itself.
 */
@ApplicationScoped
public class Callers {

    static final CallerPolicy POLICY = new CallerPolicy(List.of(
            // liveness and readiness say UP or DOWN and nothing else; probes present no certificate
            new Rule("/q/health", ANYONE),
            new Rule("/q/metrics", services(ServiceName.PROMETHEUS)),
            // quota overrides are an operator's action; the gateway does not route them
            new Rule("/admin/quotas", services()),
            // releasing the liveness breaker declares nodes lost: an operator's decision, never the gateway's
            new Rule("/admin/liveness", services()),
            new Rule("/", services(ServiceName.API_GATEWAY))));

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(new CallerCheck(POLICY));
    }
}
