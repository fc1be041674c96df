package dev.parma.gateway.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.contracts.arm.CloudError;
import dev.parma.gateway.auth.Access;
import dev.parma.gateway.auth.Access.Action;
import dev.parma.gateway.client.Deployments;
import dev.parma.gateway.limits.WriteLimiter;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The tenant-facing Microsoft.ContainerInstance API. The gateway owns what is the front door's: api-version,
 * body limits, authentication, authorization and rate limits; the resource itself lives in the
 * deployment service.
 */
@Path("/subscriptions/{sub}")
@Produces(MediaType.APPLICATION_JSON)
public class ContainerGroupsApi {

    private static final String GROUP = "/resourceGroups/{rg}/providers/Microsoft.ContainerInstance/containerGroups/{name}";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Deployments deployments;
    private final Access access;
    private final WriteLimiter limiter;
    private final Regions regions;

    ContainerGroupsApi(Deployments deployments, Access access, WriteLimiter limiter, Regions regions) {
        this.deployments = deployments;
        this.access = access;
        this.limiter = limiter;
        this.regions = regions;
    }

    /**
     * The body's {@code location}, matched case-insensitively as ARM does; null if the body has none or is not
     * JSON (the deployment service refuses such a body). Two of them are refused here: the one we check and count
     * must be the one the group gets.
     */
    static String locationOf(String body) {
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (Exception invalid) {
            return null;
        }
        String location = null;
        if (n != null && n.isObject()) {
            for (var it = n.fields(); it.hasNext();) {
                var f = it.next();
                if (f.getKey().equalsIgnoreCase("location")) {
                    if (location != null) {
                        throw new ArmError(400, CloudError.of("InvalidRequestContent", "The request content has"
                                + " more than one 'location'.", "location"));
                    }
                    location = f.getValue().isTextual() ? f.getValue().asText() : "";
                }
            }
        }
        return location;
    }

    /** {@code body} (a JSON object with exactly one location field) with that field set to {@code canonical}. */
    static String withLocation(String body, String canonical) {
        try {
            var n = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(body);
            String field = null;
            for (var it = n.fieldNames(); it.hasNext();) {
                String k = it.next();
                if (k.equalsIgnoreCase("location")) {
                    field = k;
                }
            }
            if (field == null || canonical.equals(n.get(field).asText(null))) {
                return body;
            }
            n.put(field, canonical);
            return JSON.writeValueAsString(n);
        } catch (Exception e) {
            return body; // locationOf found it, so this does not happen; the backend judges the body anyway
        }
    }

    @PUT
    @Path(GROUP)
    @Consumes(MediaType.WILDCARD)
    public Response put(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @QueryParam("api-version") String apiVersion, String body) {
        ApiVersions.require(apiVersion);
        access.check(sub, Action.WRITE);
        String text = body == null ? "" : body;
        String location = locationOf(text);
        if (location != null) {
            // one region, one budget, however it is spelled ("West Europe" is westeurope); the group gets the
            // name it was counted under
            String canonical = regions.require(location, "location");
            limiter.acquire(sub, canonical, "create");
            text = withLocation(text, canonical);
        }
        return deployments.put(sub, rg, name, apiVersion, text);
    }

    /** Updates tags only, as ACI's PATCH does. */
    @PATCH
    @Path(GROUP)
    @Consumes(MediaType.WILDCARD)
    public Response patch(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @QueryParam("api-version") String apiVersion, String body) {
        ApiVersions.require(apiVersion);
        access.check(sub, Action.WRITE);
        return deployments.patch(sub, rg, name, apiVersion, body == null ? "" : body);
    }

    @GET
    @Path(GROUP)
    public Response get(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @QueryParam("api-version") String apiVersion) {
        ApiVersions.require(apiVersion);
        access.check(sub, Action.READ);
        return deployments.get(sub, rg, name, apiVersion);
    }

    @DELETE
    @Path(GROUP)
    public Response delete(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @QueryParam("api-version") String apiVersion) {
        ApiVersions.require(apiVersion);
        access.check(sub, Action.DELETE);
        String location = deployments.locationOf(sub, rg, name, apiVersion);
        limiter.acquire(sub, location == null ? null : regions.canonical(location).orElse(location), "delete");
        return deployments.delete(sub, rg, name, apiVersion);
    }

    /** ACI's start (202/204), stop (204, synchronous) and restart (204, long-running). */
    @POST
    @Path(GROUP + "/{action: start|stop|restart}")
    public Response action(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @PathParam("action") String action, @QueryParam("api-version") String apiVersion) {
        ApiVersions.require(apiVersion);
        access.check(sub, Action.ACTION);
        return deployments.action(sub, rg, name, action, apiVersion);
    }

    /**
     * ACI's container logs ({@code {"content": "..."}}), relayed to the deployment service. Tenant owners and
     * readers only: SRE does not read tenant logs (the workload is confidential).
     */
    @GET
    @Path(GROUP + "/containers/{container}/logs")
    public Response logs(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @PathParam("container") String container, @QueryParam("api-version") String apiVersion,
            @QueryParam("tail") String tail, @QueryParam("timestamps") Boolean timestamps) {
        ApiVersions.require(apiVersion);
        access.check(sub, Action.LOGS);
        return deployments.logs(sub, rg, name, container, apiVersion, lines(tail), timestamps);
    }

    /**
     * ACI's Containers_ExecuteCommand: {@code {"command", "terminalSize"}} → {@code {"webSocketUri", "password"}}.
     * Tenant owners only: readers and SRE get no shell in a confidential workload.
     */
    @POST
    @Path(GROUP + "/containers/{container}/exec")
    @Consumes(MediaType.WILDCARD)
    public Response exec(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("name") String name,
            @PathParam("container") String container, @QueryParam("api-version") String apiVersion, String body) {
        ApiVersions.require(apiVersion);
        access.check(sub, Action.EXEC);
        return deployments.exec(sub, rg, name, container, apiVersion, ExecRequest.validate(body));
    }

    /** {@code tail}: a number of lines from 0 to 10 million, or absent. */
    private static Integer lines(String tail) {
        if (tail == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(tail.trim());
            if (n >= 0 && n <= 10_000_000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ArmError(400, CloudError.of("InvalidParameter", "tail must be a number of lines from 0 to"
                + " 10000000.", "tail"));
    }

    /**
     * The deployment service's skip tokens are URL-safe base64 of the last key of a page, {@code <resource
     * group>/<group name>}; anything else (a token that decodes to NUL or to more than one key) is not ours.
     */
    private static String skipToken(String token) {
        if (token == null) {
            return null;
        }
        String key = null;
        if (token.matches("[A-Za-z0-9_-]{1,512}={0,2}")) {
            try {
                key = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                // answered below
            }
        }
        if (key == null || !SKIP_KEY.matcher(key).matches()) {
            throw new ArmError(400, CloudError.of("InvalidSkipToken", "The $skipToken is not one we issued.",
                    "$skipToken"));
        }
        return token;
    }

    /** A resource group and a container group name, as the deployment service's tokens hold them. */
    private static final Pattern SKIP_KEY = Pattern.compile("[-\\w.()\\p{L}\\p{N}]{1,90}/[A-Za-z0-9-]{1,63}");

    @GET
    @Path("/providers/Microsoft.ContainerInstance/containerGroups")
    public Response listBySubscription(@PathParam("sub") String sub, @QueryParam("api-version") String apiVersion,
            @QueryParam("$skipToken") String skipToken) {
        ApiVersions.require(apiVersion);
        access.check(sub, Action.READ);
        return deployments.list(sub, null, apiVersion, skipToken(skipToken));
    }

    @GET
    @Path("/resourceGroups/{rg}/providers/Microsoft.ContainerInstance/containerGroups")
    public Response listByResourceGroup(@PathParam("sub") String sub, @PathParam("rg") String rg,
            @QueryParam("api-version") String apiVersion, @QueryParam("$skipToken") String skipToken) {
        ApiVersions.require(apiVersion);
        access.check(sub, Action.READ);
        return deployments.list(sub, rg, apiVersion, skipToken(skipToken));
    }

    @GET
    @Path("/providers/Microsoft.ContainerInstance/locations/{location}/usages")
    public Response usages(@PathParam("sub") String sub, @PathParam("location") String location,
            @QueryParam("api-version") String apiVersion) {
        ApiVersions.require(apiVersion);
        access.check(sub, Action.USAGES);
        return deployments.usages(sub, regions.require(location, "location"), apiVersion);
    }

    @GET
    @Path("/providers/Microsoft.ContainerInstance/locations/{location}/operations/{id}")
    public Response operation(@PathParam("sub") String sub, @PathParam("location") String location,
            @PathParam("id") String id, @QueryParam("api-version") String apiVersion) {
        ApiVersions.require(apiVersion);
        access.check(sub, Action.READ);
        return deployments.operation(sub, regions.require(location, "location"), id, apiVersion);
    }
}
