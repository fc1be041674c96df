package dev.parma.deployment.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.contracts.Json;
import dev.parma.deployment.group.ContainerGroupEntity;
import dev.parma.deployment.group.InstanceView;
import dev.parma.deployment.group.OperationEntity;
import java.util.List;

/** Renders stored groups and operations in ARM's response shapes. Secure values never leave here. */
public final class GroupRenderer {

    public static final String TYPE = "Microsoft.ContainerInstance/containerGroups";

    private GroupRenderer() {
    }

    public static ObjectNode group(ContainerGroupEntity g) {
        var mapper = Json.mapper();
        ObjectNode props = (ObjectNode) tree(g.spec);
        var view = read(g.instanceView, InstanceView.class);
        props.put("provisioningState", g.provisioningState().name());
        for (JsonNode c : props.withArray("containers")) {
            ObjectNode cp = (ObjectNode) c.get("properties");
            stripSecureValues(cp);
            var cv = view.containers().get(c.get("name").asText());
            ObjectNode iv = cp.putObject("instanceView");
            iv.put("restartCount", cv == null ? 0 : cv.restartCount());
            if (cv != null) {
                iv.set("currentState", mapper.valueToTree(cv.currentState()));
                iv.set("previousState", mapper.valueToTree(cv.previousState()));
            }
            iv.set("events", mapper.valueToTree(cv == null ? List.of() : cv.events()));
        }
        if (props.get("initContainers") instanceof ArrayNode inits) {
            inits.forEach(c -> stripSecureValues((ObjectNode) c.get("properties")));
        }
        if (props.get("volumes") instanceof ArrayNode volumes) {
            for (JsonNode v : volumes) {
                if (v.get("secret") instanceof ObjectNode secret) {
                    // write-only like ARM: the file names stay, the contents never leave
                    secret.properties().forEach(e -> e.setValue(NullNode.getInstance()));
                }
                if (v.get("azureFile") instanceof ObjectNode azureFile) {
                    azureFile.remove("storageAccountKey");
                }
            }
        }
        ObjectNode groupView = props.putObject("instanceView");
        groupView.put("state", view.state());
        groupView.set("events", mapper.valueToTree(view.events()));
        if (g.hostData != null) {
            // Ours, read-only: the policy digest the UVM's HOST_DATA (and attestation tokens) must carry.
            props.put("hostData", g.hostData);
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("id", g.resourceId());
        out.put("name", g.name);
        out.put("type", TYPE);
        out.put("location", g.location);
        if (g.tags != null) {
            out.set("tags", tree(g.tags));
        }
        out.set("properties", props);
        return out;
    }

    private static void stripSecureValues(ObjectNode containerProperties) {
        if (containerProperties != null && containerProperties.get("environmentVariables") instanceof ArrayNode env) {
            env.forEach(v -> ((ObjectNode) v).remove("secureValue"));
        }
    }

    public static String operationId(OperationEntity op, String location) {
        return "/subscriptions/" + op.subscriptionId + "/providers/Microsoft.ContainerInstance/locations/" + location
                + "/operations/" + op.id;
    }

    public static ObjectNode operation(OperationEntity op, String location) {
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("id", operationId(op, location));
        out.put("name", op.id);
        out.put("status", op.status);
        out.put("startTime", op.startTime.toString());
        if (op.endTime != null) {
            out.put("endTime", op.endTime.toString());
        }
        out.putObject("properties").put("resourceId", op.resourceId).put("operation", op.kind);
        if (op.errorCode != null && OperationEntity.FAILED.equals(op.status)) {
            var error = out.putObject("error").put("code", op.errorCode).put("message", op.errorMessage);
            if (op.errorDetails != null) {
                error.set("details", tree(op.errorDetails));
            }
        }
        return out;
    }

    private static JsonNode tree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }
}
