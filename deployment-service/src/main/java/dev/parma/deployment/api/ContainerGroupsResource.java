package dev.parma.deployment.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.contracts.Json;
import dev.parma.contracts.arm.ErrorCodes;
import dev.parma.deployment.config.DeploymentConfig;
import dev.parma.deployment.group.ContainerGroupEntity;
import dev.parma.deployment.group.ContainerGroups;
import dev.parma.deployment.group.OperationEntity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The container-group resource at its ARM paths. The api-gateway is the public front; this is the book of
 * record behind it. Long-running operations answer with Azure-AsyncOperation, Location and Retry-After.
 */
@Path("/subscriptions/{subscriptionId}")
@Produces(MediaType.APPLICATION_JSON)
public class ContainerGroupsResource {

    static final String PROVIDER = "/providers/Microsoft.ContainerInstance";
    static final String GROUP = "/resourceGroups/{resourceGroup}" + PROVIDER + "/containerGroups/{name}";
    static final String DEFAULT_API_VERSION = "2025-09-01";

    private final ContainerGroups groups;
    private final DeploymentConfig config;

    @Context
    UriInfo uri;

    ContainerGroupsResource(ContainerGroups groups, DeploymentConfig config) {
        this.groups = groups;
        this.config = config;
    }

    @PUT
    @Path(GROUP)
    @Consumes(MediaType.WILDCARD)
    public Response put(@PathParam("subscriptionId") String sub, @PathParam("resourceGroup") String rg,
            @PathParam("name") String name,
            @QueryParam("api-version") @DefaultValue(DEFAULT_API_VERSION) String apiVersion, String body) {
        var parsed = ErrorMappers.readBody(body, ContainerGroupBody.class);
        var accepted = groups.createOrUpdate(sub, rg, name, parsed);
        return lro(Response.status(accepted.created() ? 201 : 200), accepted.operation(), accepted.group().location,
                apiVersion).entity(GroupRenderer.group(accepted.group())).build();
    }

    @GET
    @Path(GROUP)
    public Response get(@PathParam("subscriptionId") String sub, @PathParam("resourceGroup") String rg,
            @PathParam("name") String name) {
        var group = ContainerGroupEntity.findByName(sub, rg, name).orElseThrow(() -> notFound(rg, name));
        return Response.ok(GroupRenderer.group(group)).build();
    }

    /** ARM PATCH (Resource_Update): only {@code tags} may be given; they replace the group's tags. 200. */
    @PATCH
    @Path(GROUP)
    @Consumes(MediaType.WILDCARD)
    public Response patch(@PathParam("subscriptionId") String sub, @PathParam("resourceGroup") String rg,
            @PathParam("name") String name, String body) {
        var tags = readTags(body);
        return Response.ok(GroupRenderer.group(groups.updateTags(sub, rg, name, tags))).build();
    }

    /** The tags of a PATCH body: an object of at most 50 string values (names up to 512, values up to 256). */
    static java.util.Map<String, String> readTags(String body) {
        var node = ErrorMappers.readBody(body, com.fasterxml.jackson.databind.JsonNode.class);
        if (node == null || !node.isObject()) {
            throw ArmException.badRequest(ErrorCodes.INVALID_REQUEST_CONTENT, "The request body must be a JSON object"
                    + " such as {\"tags\": {\"name\": \"value\"}}.", null);
        }
        var tags = new java.util.LinkedHashMap<String, String>();
        for (var it = node.fields(); it.hasNext();) {
            var f = it.next();
            if (!f.getKey().equalsIgnoreCase("tags")) {
                throw ArmException.badRequest(ErrorCodes.INVALID_REQUEST_CONTENT, "Only tags can be updated with PATCH;"
                        + " '" + f.getKey() + "' cannot. Use PUT to change the group.", f.getKey());
            }
            var t = f.getValue();
            if (t.isNull()) {
                continue;
            }
            if (!t.isObject()) {
                throw ArmException.badRequest(ErrorCodes.INVALID_PROPERTY_VALUE, "tags must be an object of strings.",
                        "tags");
            }
            for (var tag = t.fields(); tag.hasNext();) {
                var e = tag.next();
                var v = e.getValue();
                if (v.isContainerNode() || v.isNull()) {
                    throw ArmException.badRequest(ErrorCodes.INVALID_PROPERTY_VALUE, "The tag '" + e.getKey()
                            + "' must have a string value.", "tags." + e.getKey());
                }
                if (e.getKey().isEmpty() || e.getKey().length() > 512 || v.asText().length() > 256) {
                    throw ArmException.badRequest(ErrorCodes.INVALID_PROPERTY_VALUE, "Tag names have 1 to 512"
                            + " characters and values at most 256.", "tags." + e.getKey());
                }
                tags.put(e.getKey(), v.asText());
            }
        }
        if (tags.size() > 50) {
            throw ArmException.badRequest(ErrorCodes.INVALID_PROPERTY_VALUE, "A resource has at most 50 tags; "
                    + tags.size() + " were given.", "tags");
        }
        return tags;
    }

    @DELETE
    @Path(GROUP)
    public Response delete(@PathParam("subscriptionId") String sub, @PathParam("resourceGroup") String rg,
            @PathParam("name") String name,
            @QueryParam("api-version") @DefaultValue(DEFAULT_API_VERSION) String apiVersion) {
        var location = ContainerGroupEntity.findByName(sub, rg, name).map(g -> g.location).orElse(null);
        var op = groups.delete(sub, rg, name);
        if (op.isEmpty()) {
            return Response.noContent().build();
        }
        if (OperationEntity.SUCCEEDED.equals(op.get().status)) {
            return Response.ok().build();
        }
        return lro(Response.accepted(), op.get(), location, apiVersion).build();
    }

    /** ACI: synchronous, 204. */
    @POST
    @Path(GROUP + "/stop")
    public Response stop(@PathParam("subscriptionId") String sub, @PathParam("resourceGroup") String rg,
            @PathParam("name") String name) {
        groups.stop(sub, rg, name);
        return Response.noContent().build();
    }

    /** ACI: 202 when starting, 204 when already running or starting. */
    @POST
    @Path(GROUP + "/start")
    public Response start(@PathParam("subscriptionId") String sub, @PathParam("resourceGroup") String rg,
            @PathParam("name") String name,
            @QueryParam("api-version") @DefaultValue(DEFAULT_API_VERSION) String apiVersion) {
        return groups.start(sub, rg, name)
                .map(a -> lro(Response.accepted(), a.operation(), a.group().location, apiVersion).build())
                .orElseGet(() -> Response.noContent().build());
    }

    /** ACI: 204, long-running; containers restart in place. */
    @POST
    @Path(GROUP + "/restart")
    public Response restart(@PathParam("subscriptionId") String sub, @PathParam("resourceGroup") String rg,
            @PathParam("name") String name,
            @QueryParam("api-version") @DefaultValue(DEFAULT_API_VERSION) String apiVersion) {
        var a = groups.restart(sub, rg, name);
        return lro(Response.noContent(), a.operation(), a.group().location, apiVersion).build();
    }

    @GET
    @Path(PROVIDER + "/containerGroups")
    public Response listBySubscription(@PathParam("subscriptionId") String sub,
            @QueryParam("api-version") @DefaultValue(DEFAULT_API_VERSION) String apiVersion,
            @QueryParam("$skipToken") String skipToken) {
        return list(sub, null, apiVersion, skipToken);
    }

    @GET
    @Path("/resourceGroups/{resourceGroup}" + PROVIDER + "/containerGroups")
    public Response listByResourceGroup(@PathParam("subscriptionId") String sub,
            @PathParam("resourceGroup") String rg,
            @QueryParam("api-version") @DefaultValue(DEFAULT_API_VERSION) String apiVersion,
            @QueryParam("$skipToken") String skipToken) {
        return list(sub, rg.toLowerCase(Locale.ROOT), apiVersion, skipToken);
    }

    @GET
    @Path(PROVIDER + "/locations/{location}/operations/{operationId}")
    public Response operation(@PathParam("subscriptionId") String sub, @PathParam("location") String location,
            @PathParam("operationId") String operationId) {
        OperationEntity op = OperationEntity.findById(operationId);
        if (op == null || !op.subscriptionId.equals(sub)) {
            throw new ArmException(404, ErrorCodes.RESOURCE_NOT_FOUND, "The operation '" + operationId
                    + "' was not found.", null);
        }
        return Response.ok(GroupRenderer.operation(op, location)).build();
    }

    /** Pages ordered by (resource group, name); the skip token is the last key of the previous page. */
    private Response list(String sub, String rgKey, String apiVersion, String skipToken) {
        String afterRg = "";
        String afterName = "";
        if (skipToken != null && !skipToken.isBlank()) {
            String decoded;
            try {
                decoded = new String(Base64.getUrlDecoder().decode(skipToken), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ArmException.badRequest("InvalidSkipToken", "The $skipToken is not one we issued.",
                        "$skipToken");
            }
            int slash = decoded.indexOf('/');
            // a key we issued is two ARM names: never a control character (PostgreSQL refuses NUL in text)
            if (slash < 0 || decoded.chars().anyMatch(Character::isISOControl)) {
                throw ArmException.badRequest("InvalidSkipToken", "The $skipToken is not one we issued.",
                        "$skipToken");
            }
            afterRg = decoded.substring(0, slash);
            afterName = decoded.substring(slash + 1);
        }
        int size = config.pageSize();
        String scope = rgKey == null ? "" : " and resourceGroupKey = :rg";
        var query = ContainerGroupEntity.getEntityManager().createQuery("from ContainerGroupEntity where"
                + " subscriptionId = :sub" + scope + " and (resourceGroupKey > :afterRg or (resourceGroupKey = :afterRg"
                + " and name > :afterName)) order by resourceGroupKey, name", ContainerGroupEntity.class)
                .setParameter("sub", sub).setParameter("afterRg", afterRg).setParameter("afterName", afterName)
                .setMaxResults(size + 1);
        if (rgKey != null) {
            query.setParameter("rg", rgKey);
        }
        List<ContainerGroupEntity> rows = query.getResultList();
        ObjectNode out = Json.mapper().createObjectNode();
        var value = out.putArray("value");
        rows.stream().limit(size).forEach(g -> value.add(GroupRenderer.group(g)));
        if (rows.size() > size) {
            var last = rows.get(size - 1);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (last.resourceGroupKey + "/" + last.name).getBytes(StandardCharsets.UTF_8));
            // ARM writes $skipToken unencoded; the token itself is URL-safe base64
            out.put("nextLink", uri.getAbsolutePath() + "?api-version=" + apiVersion + "&$skipToken=" + token);
        }
        return Response.ok(out).build();
    }

    private Response.ResponseBuilder lro(Response.ResponseBuilder builder, OperationEntity op, String location,
            String apiVersion) {
        // The base is the tenant-facing one: the gateway forwards its Host (RFC 7239 Forwarded) to us.
        String base = uri.getBaseUri().toString().replaceAll("/$", "");
        String url = base + GroupRenderer.operationId(op, location) + "?api-version=" + apiVersion;
        return builder.header("Azure-AsyncOperation", url).header("Location", url)
                .header("Retry-After", config.retryAfterSeconds());
    }

    private static ArmException notFound(String rg, String name) {
        return new ArmException(404, ErrorCodes.RESOURCE_NOT_FOUND, "The Resource '" + GroupRenderer.TYPE + "/"
                + name + "' under resource group '" + rg + "' was not found.", null);
    }
}
