package dev.parma.node.security;

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
 * Who may call this node agent, decided before any route runs by the TLS client certificate: only the control plane
 * commands it (logs, exec sessions, overhead); the UVM's public facts are for the platform's services and
 * operators; the exec websocket is the one door for tenants, and it opens only with its one-time password.
 */
@ApplicationScoped
public class Callers {

    static final CallerPolicy POLICY = new CallerPolicy(List.of(
            new Rule("/exec/", ANYONE),
            // liveness and readiness say UP or DOWN and nothing else; probes present no certificate
            new Rule("/q/health", ANYONE),
            new Rule("/q/metrics", services(ServiceName.PROMETHEUS)),
            new Rule("/uvm", services(ServiceName.DEPLOYMENT_SERVICE, ServiceName.ATTESTATION_SERVICE)),
            new Rule("/", services(ServiceName.DEPLOYMENT_SERVICE))));

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(new CallerCheck(POLICY));
    }
}
