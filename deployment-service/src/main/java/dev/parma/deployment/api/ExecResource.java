package dev.parma.deployment.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.contracts.Json;
import dev.parma.contracts.arm.ErrorCodes;
import dev.parma.deployment.group.ContainerGroupEntity;
import dev.parma.deployment.group.InstanceView;
import dev.parma.deployment.node.NodeClient;
import dev.parma.deployment.node.NodeEntity;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * ACI's Containers_ExecuteCommand: {@code {"command", "terminalSize"}} → {@code {"webSocketUri", "password"}}. The
 * node running the group creates a one-time session; the client then talks to that node's websocket directly (in a
 * confidential group the guest judges the command when the websocket opens). The answer carries a secret: it is
 * never logged.
 */
@Path("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.ContainerInstance"
        + "/containerGroups/{name}/containers/{container}/exec")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ExecResource {

    static final int MAX_COMMAND = 4096;

    @Inject
    NodeClient nodes;

    @POST
    public Map<String, String> exec(@PathParam("subscriptionId") String sub, @PathParam("resourceGroup") String rg,
            @PathParam("name") String name, @PathParam("container") String container, JsonNode body) {
        ObjectNode request = validate(body);
        var group = ContainerGroupEntity.findByName(sub, rg, name).orElseThrow(() -> new ArmException(404,
                ErrorCodes.RESOURCE_NOT_FOUND, "The container group '" + name + "' was not found.", null));
        if (!hasContainer(group, container)) {
            throw new ArmException(404, "ContainerNotFound", "The container '" + container + "' was not found in"
                    + " container group '" + name + "'.", null);
        }
        String state = read(group.instanceView, InstanceView.class).state();
        NodeEntity node = group.nodeId == null ? null : NodeEntity.findById(group.nodeId);
        if (!"Running".equals(state) || node == null) {
            throw notRunning(name);
        }
        HttpResponse<String> answer;
        try {
            var uri = NodeClient.uri(node, null, "groups", group.id, "containers", container, "exec");
            answer = nodes.send(node, HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", MediaType.APPLICATION_JSON)
                    .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build());
        } catch (IOException e) {
            throw unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        }
        if (answer.statusCode() == 404) {
            throw notRunning(name); // the node no longer has it: stopped or moving
        }
        if (answer.statusCode() != 200) {
            throw new ArmException(502, "NodeError", "The node could not start an exec session in container '"
                    + container + "'.", null);
        }
        try {
            JsonNode a = Json.mapper().readTree(answer.body());
            return Map.of("webSocketUri", a.path("webSocketUri").asText(), "password", a.path("password").asText());
        } catch (IOException e) {
            throw new ArmException(502, "NodeError", "The node's exec answer was unreadable.", null);
        }
    }

    /** ACI's body: a non-empty command and, optionally, a terminal size; what the node gets. */
    static ObjectNode validate(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ArmException.badRequest(ErrorCodes.INVALID_REQUEST_CONTENT, "The request content must be a JSON"
                    + " object with a 'command'.", null);
        }
        JsonNode command = body.get("command");
        if (command == null || command.isNull()) {
            throw ArmException.badRequest(ErrorCodes.MISSING_REQUIRED_PROPERTY, "The 'command' is required.",
                    "command");
        }
        if (!command.isTextual() || command.asText().isBlank() || command.asText().length() > MAX_COMMAND) {
            throw ArmException.badRequest(ErrorCodes.INVALID_PROPERTY_VALUE, "The 'command' must be a non-empty"
                    + " string of at most " + MAX_COMMAND + " characters.", "command");
        }
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("command", command.asText());
        JsonNode size = body.get("terminalSize");
        if (size != null && !size.isNull()) {
            if (!size.isObject()) {
                throw ArmException.badRequest(ErrorCodes.INVALID_PROPERTY_VALUE, "The 'terminalSize' must be an"
                        + " object with 'rows' and 'cols'.", "terminalSize");
            }
            for (String f : new String[]{"rows", "cols"}) {
                JsonNode v = size.get(f);
                if (v != null && !v.isNull()) {
                    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1 || v.asInt() > 1000) {
                        throw ArmException.badRequest(ErrorCodes.INVALID_PROPERTY_VALUE, "The terminal size's '" + f
                                + "' must be an integer from 1 to 1000.", "terminalSize." + f);
                    }
                    out.put(f, v.asInt());
                }
            }
        }
        return out;
    }

    private static boolean hasContainer(ContainerGroupEntity group, String container) {
        JsonNode spec = read(group.spec, JsonNode.class);
        for (JsonNode c : spec.path("containers")) {
            if (container.equals(c.path("name").asText())) {
                return true;
            }
        }
        return false;
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (IOException e) {
            throw new IllegalStateException("stored JSON unreadable", e);
        }
    }

    private static ArmException notRunning(String name) {
        return new ArmException(409, "ContainerGroupNotRunning", "The container group '" + name + "' is not"
                + " running. Start it and wait for its state to be Running before executing a command.", null);
    }

    private static ArmException unavailable() {
        return new ArmException(503, "NodeUnavailable", "The node running the container group cannot be reached;"
                + " retry later.", null);
    }
}
