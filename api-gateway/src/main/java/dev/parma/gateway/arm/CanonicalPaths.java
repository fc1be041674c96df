package dev.parma.gateway.arm;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.UriBuilder;
import java.util.Locale;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * ARM paths are case-insensitive in their fixed segments ({@code resourcegroups} and {@code resourceGroups} are
 * the same): before routing, known segments are rewritten to their canonical spelling. Names (subscription,
 * group, resource) are left as written.
 */
public class CanonicalPaths {

    private static final Map<String, String> SEGMENTS = Map.ofEntries(Map.entry("subscriptions", "subscriptions"),
            Map.entry("resourcegroups", "resourceGroups"), Map.entry("providers", "providers"),
            Map.entry("microsoft.containerinstance", "Microsoft.ContainerInstance"),
            Map.entry("containergroups", "containerGroups"), Map.entry("containers", "containers"),
            Map.entry("logs", "logs"), Map.entry("locations", "locations"), Map.entry("usages", "usages"),
            Map.entry("operations", "operations"), Map.entry("microsoft.resources", "Microsoft.Resources"),
            Map.entry("deployments", "deployments"), Map.entry("operationstatuses", "operationStatuses"),
            Map.entry("start", "start"), Map.entry("stop", "stop"), Map.entry("restart", "restart"));

    @ServerRequestFilter(preMatching = true)
    public void canonicalize(ContainerRequestContext ctx) {
        String path = ctx.getUriInfo().getRequestUri().getRawPath();
        if (path == null || !path.regionMatches(true, 0, "/subscriptions/", 0, 15)) {
            return;
        }
        String[] parts = path.split("/", -1);
        boolean changed = false;
        // even positions after the subscription id are fixed segments: /subscriptions/{s}/resourceGroups/{rg}/...
        for (int i = 1; i < parts.length; i++) {
            String canonical = SEGMENTS.get(parts[i].toLowerCase(Locale.ROOT));
            if (canonical != null && !canonical.equals(parts[i]) && isFixedPosition(parts, i)) {
                parts[i] = canonical;
                changed = true;
            }
        }
        if (changed) {
            ctx.setRequestUri(UriBuilder.fromUri(ctx.getUriInfo().getRequestUri()).replacePath(String.join("/", parts))
                    .build());
        }
    }

    /** A segment is fixed unless it follows one that introduces a name. */
    private static boolean isFixedPosition(String[] parts, int i) {
        if (i < 2) {
            return true;
        }
        String previous = parts[i - 1].toLowerCase(Locale.ROOT);
        return !(previous.equals("subscriptions") || previous.equals("resourcegroups")
                || previous.equals("containergroups") || previous.equals("containers")
                || previous.equals("locations") || previous.equals("operations") || previous.equals("deployments")
                || previous.equals("operationstatuses"));
    }
}
