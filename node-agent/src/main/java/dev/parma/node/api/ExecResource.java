package dev.parma.node.api;

import dev.parma.node.exec.ExecSessions;
import dev.parma.node.messaging.Heartbeats;
import dev.parma.node.runtime.Groups;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;

/**
 * Creates an exec session for a container (ACI's Containers_ExecuteCommand, as the deployment service relays it):
 * the answer is where to open the websocket and the one-time password. Nothing runs until the websocket logs in.
 */
@Path("/groups/{groupId}/containers/{container}/exec")
public class ExecResource {

    /** The command line, split on whitespace into argv; rows and cols are accepted (there is no terminal). */
    public record ExecRequest(String command, Integer rows, Integer cols) {
    }

    public record ExecAnswer(String webSocketUri, String password) {
    }

    private final Groups groups;
    private final ExecSessions sessions;
    private final Heartbeats heartbeats;

    ExecResource(Groups groups, ExecSessions sessions, Heartbeats heartbeats) {
        this.groups = groups;
        this.sessions = sessions;
        this.heartbeats = heartbeats;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public ExecAnswer create(@PathParam("groupId") String groupId, @PathParam("container") String container,
            ExecRequest body) {
        if (body == null || body.command() == null || body.command().isBlank()) {
            throw new BadRequestException("command is required");
        }
        if (!groups.hasContainer(groupId, container)) {
            throw new NotFoundException("no container " + container + " of group " + groupId + " on this node");
        }
        List<String> args = Arrays.asList(body.command().strip().split("\\s+"));
        var s = sessions.create(groupId, container, args);
        return new ExecAnswer(webSocketBase(heartbeats.endpoint()) + "/exec/" + s.id(),
                new String(s.password(), java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** The node's advertised endpoint with http → ws and https → wss. */
    static String webSocketBase(String endpoint) {
        String e = endpoint.replaceAll("/$", "");
        return e.startsWith("https://") ? "wss://" + e.substring(8) : "ws://" + e.replaceFirst("^http://", "");
    }
}
