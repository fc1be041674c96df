package dev.parma.gateway.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * One template deployment as stored and as its status resource ({@code Microsoft.Resources/deployments}) shows it:
 * a snapshot read from the database. Secure parameters and outputs carry their type only, never their value, so
 * nothing secret is ever stored.
 *
 * @param parameters {@code {name: {type, value?}}} as shown
 * @param dependencies the {@code dependencies} array as shown
 * @param outputResources ids of the container groups this run has PUT so far
 * @param outputs {@code {name: {type, value?}}} once the run succeeded, else null
 * @param error the CloudError body ({@code code}, {@code message}, {@code details}) of a failed run, else null
 */
record DeploymentRecord(String id, String name, String mode, String operationId, String correlationId, String state,
        Instant started, Instant ended, ObjectNode parameters, ArrayNode dependencies, List<String> outputResources,
        ObjectNode outputs, JsonNode error) {

    static final String ACCEPTED = "Accepted";
    static final String RUNNING = "Running";
    static final String SUCCEEDED = "Succeeded";
    static final String FAILED = "Failed";

    /** A new deployment of {@code plan}, not yet started. */
    static DeploymentRecord accepted(String subscription, String resourceGroup, String name, String mode,
            TemplateEngine.Plan plan) {
        String id = "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.Resources/deployments/" + name;
        ArrayNode deps = Functions.NODES.arrayNode();
        for (var r : plan.resources()) {
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
        return new DeploymentRecord(id, name, mode, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                // PostgreSQL keeps microseconds: the answer to the PUT shows what every later GET shows
                ACCEPTED, Instant.now().truncatedTo(ChronoUnit.MICROS), null, shown(plan.parameters()), deps, List.of(),
                null, null);
    }

    /** Parameters or outputs as shown: {@code {name: {type, value}}}, the value left out when secure. */
    static ObjectNode shown(Collection<TemplateEngine.Parameter> values) {
        ObjectNode out = Functions.NODES.objectNode();
        for (var v : values) {
            ObjectNode o = out.putObject(v.name());
            o.put("type", armType(v.type()));
            if (!v.secure()) {
                o.set("value", v.value());
            }
        }
        return out;
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
        Instant until = ended == null ? Instant.now() : ended;
        p.put("timestamp", until.toString());
        p.put("duration", Duration.between(started, until).toString());
        p.set("parameters", parameters.deepCopy());
        p.set("dependencies", dependencies.deepCopy());
        var out = p.putArray("outputResources");
        outputResources.forEach(r -> out.addObject().put("id", r));
        if (outputs != null) {
            p.set("outputs", outputs.deepCopy());
        }
        if (error != null) {
            p.set("error", error.deepCopy());
        }
        return d;
    }

    ObjectNode operationStatus() {
        ObjectNode o = Functions.NODES.objectNode();
        o.put("id", id + "/operationStatuses/" + operationId);
        o.put("name", operationId);
        o.put("status", state.equals(ACCEPTED) ? RUNNING : state);
        o.put("startTime", started.toString());
        if (ended != null) {
            o.put("endTime", ended.toString());
        }
        if (error != null) {
            o.set("error", error.deepCopy());
        }
        return o;
    }

    private static String armType(String t) {
        return switch (t.toLowerCase(Locale.ROOT)) {
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
