package dev.parma.gateway.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.contracts.arm.CloudError;
import dev.parma.gateway.arm.ArmError;
import dev.parma.gateway.arm.Regions;
import dev.parma.gateway.auth.Access;
import dev.parma.gateway.auth.Access.Action;
import dev.parma.gateway.auth.Caller;
import dev.parma.gateway.limits.WriteLimiter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
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
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * ARM template deployments ({@code Microsoft.Resources/deployments}) at resource-group scope: PUT evaluates
 * the whole template at once (every error an InvalidTemplate with line and column) and then deploys its
 * container groups in dependsOn order; GET is the deployment-status resource; POST .../validate only evaluates.
 */
@Path("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Resources/deployments")
@Produces(MediaType.APPLICATION_JSON)
public class DeploymentsApi {

    /** api-versions of Microsoft.Resources we accept (what az, Bicep and the SDKs send). */
    public static final Set<String> API_VERSIONS = Set.of("2019-10-01", "2020-06-01", "2020-10-01", "2021-01-01",
            "2021-04-01", "2022-09-01", "2023-07-01", "2024-03-01", "2024-07-01", "2024-11-01", "2025-03-01",
            "2025-04-01");

    private final Access access;
    private final WriteLimiter limiter;
    private final TemplateDeployments deployments;
    private final DeploymentStore records;
    private final Regions regions;

    @ConfigProperty(name = "parma.templates.resource-group-location", defaultValue = "westeurope")
    String defaultLocation;

    @Context
    UriInfo uri;

    DeploymentsApi(Access access, WriteLimiter limiter, TemplateDeployments deployments, DeploymentStore records,
            Regions regions) {
        this.access = access;
        this.limiter = limiter;
        this.deployments = deployments;
        this.records = records;
        this.regions = regions;
    }

    static void requireVersion(String apiVersion) {
        if (apiVersion == null || apiVersion.isBlank()) {
            throw new ArmError(400, CloudError.of("MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all requests.", "api-version"));
        }
        if (!API_VERSIONS.contains(apiVersion)) {
            throw new ArmError(400, CloudError.of("InvalidApiVersionParameter", "The resource type 'deployments' does"
                    + " not support api-version '" + apiVersion + "'. Supported versions: "
                    + String.join(", ", API_VERSIONS.stream().sorted().toList()) + ".", "api-version"));
        }
    }

    @PUT
    @Path("/{deployment}")
    @Consumes(MediaType.WILDCARD)
    public Response put(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("deployment") String name,
            @QueryParam("api-version") String apiVersion, String body) {
        requireVersion(apiVersion);
        Caller caller = access.check(sub, Action.DEPLOY);
        var prepared = prepare(sub, rg, name, body, caller);
        for (var r : prepared.plan.resources()) {
            limiter.acquire(sub, r.body().path("location").asText(), "create");
        }
        var record = DeploymentRecord.accepted(sub, rg, name, prepared.mode, prepared.plan);
        boolean created = deployments.start(sub, rg, record, prepared.engine, prepared.plan);
        String base = uri.getBaseUri().toString().replaceAll("/$", "");
        String op = base + record.id() + "/operationStatuses/" + record.operationId() + "?api-version=" + apiVersion;
        return Response.status(created ? 201 : 200).entity(record.render()).type(MediaType.APPLICATION_JSON)
                .header("Azure-AsyncOperation", op).header("Location", op).header("Retry-After", "2").build();
    }

    /** Evaluates the template without deploying: 200 with the resolved resources, or the InvalidTemplate. */
    @POST
    @Path("/{deployment}/validate")
    @Consumes(MediaType.WILDCARD)
    public Response validate(@PathParam("sub") String sub, @PathParam("rg") String rg,
            @PathParam("deployment") String name,
            @QueryParam("api-version") String apiVersion, String body) {
        requireVersion(apiVersion);
        Caller caller = access.check(sub, Action.DEPLOY);
        var prepared = prepare(sub, rg, name, body, caller);
        ObjectNode out = DeploymentRecord.accepted(sub, rg, name, prepared.mode, prepared.plan).render();
        ((ObjectNode) out.get("properties")).put("provisioningState", "Succeeded");
        var validated = ((ObjectNode) out.get("properties")).putArray("validatedResources");
        prepared.plan.resources().forEach(r -> validated.addObject().put("id", r.id()));
        return Response.ok(out).build();
    }

    @GET
    @Path("/{deployment}")
    public Response get(@PathParam("sub") String sub, @PathParam("rg") String rg, @PathParam("deployment") String name,
            @QueryParam("api-version") String apiVersion) {
        requireVersion(apiVersion);
        access.check(sub, Action.DEPLOYMENT_READ);
        return Response.ok(found(sub, rg, name).render()).build();
    }

    @GET
    public Response list(@PathParam("sub") String sub, @PathParam("rg") String rg,
            @QueryParam("api-version") String apiVersion) {
        requireVersion(apiVersion);
        access.check(sub, Action.DEPLOYMENT_READ);
        ObjectNode out = Functions.NODES.objectNode();
        var value = out.putArray("value");
        records.list(sub, rg).forEach(d -> value.add(d.render()));
        return Response.ok(out).build();
    }

    @GET
    @Path("/{deployment}/operationStatuses/{operationId}")
    public Response operation(@PathParam("sub") String sub, @PathParam("rg") String rg,
            @PathParam("deployment") String name, @PathParam("operationId") String operationId,
            @QueryParam("api-version") String apiVersion) {
        requireVersion(apiVersion);
        access.check(sub, Action.DEPLOYMENT_READ);
        var d = found(sub, rg, name);
        if (!d.operationId().equals(operationId)) {
            throw new ArmError(404, CloudError.of("OperationNotFound", "The operation '" + operationId
                    + "' was not found."));
        }
        return Response.ok(d.operationStatus()).build();
    }

    private DeploymentRecord found(String sub, String rg, String name) {
        return records.find(sub, rg, name).orElseThrow(() -> new ArmError(404, CloudError.of("DeploymentNotFound",
                "Deployment '" + name + "' could not be found.")));
    }

    private record Prepared(TemplateEngine engine, TemplateEngine.Plan plan, String mode) {
    }

    /**
     * The evaluated deployment, every resource in the caller's own subscription and resource group (the scope the
     * caller was authorized for) and in one of our regions, its location written in canonical form.
     */
    private Prepared prepare(String sub, String rg, String name, String body, Caller caller) {
        LocatedJson json;
        try {
            json = LocatedJson.parse(body == null ? "" : body);
        } catch (LocatedJson.ParseError e) {
            throw e.toArm();
        } catch (TemplateError e) {
            throw e.toArm(null);
        }
        try {
            JsonNode root = json.root();
            JsonNode props = TemplateEngine.field(root, "properties");
            if (props == null || !props.isObject()) {
                throw new TemplateError("", "The request content must have a 'properties' object with 'template',"
                        + " 'parameters' and 'mode'");
            }
            String pp = "/" + fieldName(root, "properties");
            if (TemplateEngine.field(props, "templateLink") != null) {
                throw new TemplateError(pp + "/" + fieldName(props, "templateLink"),
                        "templateLink is not supported: send the template inline in properties.template");
            }
            if (TemplateEngine.field(props, "parametersLink") != null) {
                throw new TemplateError(pp + "/" + fieldName(props, "parametersLink"),
                        "parametersLink is not supported: send the parameters inline in properties.parameters");
            }
            JsonNode template = TemplateEngine.field(props, "template");
            if (template == null) {
                throw new TemplateError(pp, "The deployment has no template (properties.template)");
            }
            JsonNode modeNode = TemplateEngine.field(props, "mode");
            String mode = modeNode == null ? "Incremental" : modeNode.asText();
            if (!mode.equalsIgnoreCase("Incremental")) {
                throw new TemplateError(pp + "/" + fieldName(props, "mode"), "The deployment mode '" + mode
                        + "' is not supported; use Incremental (Complete mode, which deletes resources the template"
                        + " does not name, is not offered)");
            }
            JsonNode location = TemplateEngine.field(root, "location");
            String where = defaultLocation;
            if (location != null) {
                where = regions.canonical(location.isTextual() ? location.asText() : null)
                        .orElseThrow(() -> unavailable("/" + fieldName(root, "location"), location, json));
            }
            var ctx = new TemplateEngine.Context(sub, caller.tenant(), rg, where, name, "Incremental");
            var engine = new TemplateEngine(template, pp + "/" + fieldName(props, "template"),
                    TemplateEngine.field(props, "parameters"), pp + "/" + fieldName(props, "parameters"), ctx);
            var plan = engine.plan();
            for (var r : plan.resources()) {
                if (!r.subscription().equalsIgnoreCase(sub) || !r.resourceGroup().equalsIgnoreCase(rg)) {
                    throw new TemplateError(r.pointer(), "The resource '" + r.id() + "' is outside the deployment's"
                            + " subscription and resource group");
                }
                JsonNode l = r.body().path("location");
                var canonical = regions.canonical(l.isTextual() ? l.asText() : null);
                if (canonical.isEmpty()) {
                    throw unavailable(r.pointer() + "/location", l, json);
                }
                r.body().put("location", canonical.get());
            }
            return new Prepared(engine, plan, "Incremental");
        } catch (TemplateError e) {
            throw e.toArm(json);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new TemplateError("", e.getMessage()).toArm(json);
        }
    }

    /** ARM's refusal of a location we do not offer, at its line and column in the request. */
    private ArmError unavailable(String pointer, JsonNode location, LocatedJson json) {
        var at = json.locate(pointer);
        return regions.unavailable(location.isTextual() ? location.asText() : location.toString(), pointer,
                at == null ? "" : " (line '" + at.line() + "', column '" + at.column() + "')");
    }

    private static String fieldName(JsonNode o, String name) {
        for (var it = o.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (k.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        return name;
    }
}
