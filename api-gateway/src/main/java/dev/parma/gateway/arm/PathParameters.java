package dev.parma.gateway.arm;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks every path parameter of the matched route by its name ({@link ArmNames}, {@link Regions}) before the
 * resource method runs, so no route can forget to: a parameter without a rule of its own is held to the strict
 * generic one. Runs after authentication (an anonymous caller gets 401 whatever its path holds).
 */
public class PathParameters {

    private final Regions regions;

    PathParameters(Regions regions) {
        this.regions = regions;
    }

    @ServerRequestFilter(priority = Priorities.USER + 100)
    public void check(ContainerRequestContext ctx) {
        for (Map.Entry<String, List<String>> p : ctx.getUriInfo().getPathParameters().entrySet()) {
            for (String value : p.getValue()) {
                switch (p.getKey()) {
                    case "sub" -> ArmNames.subscription(value);
                    case "rg" -> ArmNames.resourceGroup(value);
                    case "name" -> ArmNames.containerGroup(value);
                    case "deployment" -> ArmNames.deployment(value);
                    case "container" -> ArmNames.container(value);
                    case "location" -> regions.require(value, "location");
                    case "id", "operationId" -> ArmNames.operation(value);
                    default -> ArmNames.segment(value, p.getKey());
                }
            }
        }
    }
}
