package dev.parma.gateway.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One template deployment, as its status resource ({@code Microsoft.Resources/deployments}) shows it. Secure
 * parameters and outputs appear with their type only, never their value.
 */
final class DeploymentRecord {

    final String id;
    final String name;
    final String subscription;
    final String resourceGroup;
    final String mode;
    final String operationId = UUID.randomUUID().toString();
    final String correlationId = UUID.randomUUID().toString();
    final Instant started = Instant.now();
    final List<TemplateEngine.Parameter> parameters;
    final List<TemplateEngine.Resource> resources;
    final List<String> outputResources = new ArrayList<>();
    volatile String state = "Accepted";
    volatile Instant ended;
    volatile Map<String, TemplateEngine.Parameter> outputs;
    volatile JsonNode error;

    DeploymentRecord(String subscription, String resourceGroup, String name, String mode, TemplateEngine.Plan plan) {
        this.subscription = subscription;
        this.resourceGroup = resourceGroup;
        this.name = name;
        this.mode = mode;
        this.id = "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.Resources/deployments/" + name;
        this.parameters = plan.parameters();
        this.resources = plan.resources();
    }

    boolean terminal() {
        return state.equals("Succeeded") || state.equals("Failed") || state.equals("Canceled");
    }

    ObjectNode render() {
        ObjectNode d = Functions.NODES.objectNode();
        d.put("id", id);
        d.put("name", name);
        d.put("type", "Microsoft.Resources/deployments");
        ObjectNode p = d.putObject("properties");
        p.put("provisioningState", state);
        p.put("mode", mode);
        p.put("correlationId", correlationId);
        p.put("timestamp", (ended == null ? Instant.now() : ended).toString());
        p.put("duration", Duration.between(started, ended == null ? Instant.now() : ended).toString());
        ObjectNode params = p.putObject("parameters");
        for (var param : parameters) {
            ObjectNode v = params.putObject(param.name());
            v.put("type", armType(param.type()));
            if (!param.secure()) {
                v.set("value", param.value());
            }
        }
        var deps = p.putArray("dependencies");
        for (var r : resources) {
            if (!r.dependsOn().isEmpty()) {
                ObjectNode dep = deps.addObject();
                dep.put("resourceType", TemplateEngine.CONTAINER_GROUPS);
                dep.put("resourceName", r.name());
                dep.put("id", r.id());
                var on = dep.putArray("dependsOn");
                for (String target : r.dependsOn()) {
                    on.addObject().put("id", target).put("resourceType", TemplateEngine.CONTAINER_GROUPS)
                            .put("resourceName", target.substring(target.lastIndexOf('/') + 1));
                }
            }
        }
        var out = p.putArray("outputResources");
        synchronized (outputResources) {
            outputResources.forEach(r -> out.addObject().put("id", r));
        }
        if (outputs != null) {
            ObjectNode o = p.putObject("outputs");
            for (var e : outputs.values()) {
                ObjectNode v = o.putObject(e.name());
                v.put("type", armType(e.type()));
                if (!e.secure()) {
                    v.set("value", e.value());
                }
            }
        }
        if (error != null) {
            p.set("error", error);
        }
        return d;
    }

    ObjectNode operationStatus() {
        ObjectNode o = Functions.NODES.objectNode();
        o.put("id", id + "/operationStatuses/" + operationId);
        o.put("name", operationId);
        o.put("status", state.equals("Accepted") ? "Running" : state);
        o.put("startTime", started.toString());
        if (ended != null) {
            o.put("endTime", ended.toString());
        }
        if (error != null) {
            o.set("error", error);
        }
        return o;
    }

    private static String armType(String t) {
        return switch (t.toLowerCase(java.util.Locale.ROOT)) {
            case "string" -> "String";
            case "securestring" -> "SecureString";
            case "int" -> "Int";
            case "bool" -> "Bool";
            case "object" -> "Object";
            case "secureobject" -> "SecureObject";
            case "array" -> "Array";
            default -> t;
        };
    }
}
