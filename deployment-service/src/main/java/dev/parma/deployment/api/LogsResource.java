package dev.parma.deployment.api;

import dev.parma.contracts.arm.ErrorCodes;
import dev.parma.deployment.group.ContainerGroupEntity;
import dev.parma.deployment.node.NodeClient;
import dev.parma.deployment.node.NodeEntity;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * ACI's Containers_ListLogs: {@code {"content": …}}, the last {@code tail} lines (all, up to 4 MB, without it). The
 * log lives on the node running the group (in a confidential group the guest serves it, only if the policy allows
 * the container's stdio), so it is read from that node agent's endpoint.
 */
@Path("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.ContainerInstance"
        + "/containerGroups/{name}/containers/{container}/logs")
@Produces(MediaType.APPLICATION_JSON)
public class LogsResource {

    @Inject
    NodeClient nodes;

    @GET
    public Map<String, String> logs(@PathParam("subscriptionId") String sub, @PathParam("resourceGroup") String rg,
            @PathParam("name") String name, @PathParam("container") String container,
            @QueryParam("tail") Integer tail, @QueryParam("timestamps") Boolean timestamps) {
        var group = ContainerGroupEntity.findByName(sub, rg, name).orElseThrow(() -> new ArmException(404,
                ErrorCodes.RESOURCE_NOT_FOUND, "The container group '" + name + "' was not found.", null));
        NodeEntity node = group.nodeId == null ? null : NodeEntity.findById(group.nodeId);
        if (node == null || node.endpoint == null) {
            throw notAvailable(container, name);
        }
        HttpResponse<String> answer;
        try {
            var uri = NodeClient.uri(node, "tail=" + (tail == null ? 0 : Math.max(0, tail)) + "&timestamps="
                    + Boolean.TRUE.equals(timestamps), "groups", group.id, "containers", container, "logs");
            answer = nodes.send(node, HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build());
        } catch (IOException e) {
            throw new ArmException(503, "NodeUnavailable", "The node running the container group cannot be"
                    + " reached for logs; retry later.", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArmException(503, "NodeUnavailable", "Interrupted while reading logs.", null);
        }
        return switch (answer.statusCode()) {
            case 200 -> Map.of("content", answer.body());
            case 403 -> throw new ArmException(403, "ContainerLogsDeniedByPolicy", "The execution policy does not"
                    + " allow reading the output of container '" + container + "'.", null);
            case 404 -> throw notAvailable(container, name);
            default -> throw new ArmException(502, "NodeError", "The node could not read the log of container '"
                    + container + "'.", null);
        };
    }

    /** ACI's answer while there is no log yet. */
    private static ArmException notAvailable(String container, String group) {
        return new ArmException(404, "ContainerLogNotAvailable", "Log of container '" + container + "' in container"
                + " group '" + group + "' is not available yet. Please check the container's instanceView.", null);
    }
}
