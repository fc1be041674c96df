package dev.parma.deployment.api;

import dev.parma.deployment.db.Unavailable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.parma.contracts.Json;
import dev.parma.contracts.arm.CloudError;
import dev.parma.contracts.arm.ErrorCodes;
import dev.parma.deployment.config.DeploymentConfig;
import dev.parma.deployment.group.IllegalTransitionException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error leaves as a CloudError: never a stack trace, never an HTML page. Every 503 (the database away, a node
 * unreachable) carries Retry-After, so clients and the gateway know the request can be retried and when.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    private final DeploymentConfig config;

    ErrorMappers(DeploymentConfig config) {
        this.config = config;
    }

    /** ARM property names are case-insensitive ("memoryInGb" is "memoryInGB"); numbers may come as strings. */
    static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";

    private static final ObjectMapper ARM = Json.configure(JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES).build());

    @ServerExceptionMapper
    public Response arm(ArmException e) {
        return answer(e.status(), e.toCloudError());
    }

    @ServerExceptionMapper
    public Response illegalTransition(IllegalTransitionException e) {
        return answer(409, CloudError.of(ErrorCodes.CONFLICT, e.getMessage() + ".", null));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String code = switch (status) {
            case 404 -> ErrorCodes.RESOURCE_NOT_FOUND;
            case 405 -> "MethodNotAllowed";
            case 406, 415 -> "UnsupportedMediaType";
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status >= 500 ? ErrorCodes.INTERNAL_SERVER_ERROR : "BadRequest";
        };
        return answer(status, CloudError.of(code, status >= 500 ? "The request failed." : e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (Unavailable.databaseAway(e)) {
            LOG.warnf("database unavailable: %s", e.getMessage());
            return answer(503, CloudError.of(SERVICE_UNAVAILABLE,
                    "The service is temporarily unavailable; retry the request after the time in Retry-After."));
        }
        LOG.error("unhandled error", e);
        return answer(500, CloudError.of(ErrorCodes.INTERNAL_SERVER_ERROR, "The request failed; it has been logged."));
    }

    private Response answer(int status, CloudError error) {
        var out = Response.status(status).type(MediaType.APPLICATION_JSON).entity(error);
        if (status == 503) {
            out.header("Retry-After", config.unavailableRetryAfterSeconds());
        }
        return out.build();
    }

    /**
     * Reads a request body, turning every JSON problem into an InvalidRequestContent CloudError (we do it here
     * rather than in a mapper: the framework's own mappers for Jackson exceptions would answer without a body).
     */
    public static <T> T readBody(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw ArmException.badRequest(ErrorCodes.INVALID_REQUEST_CONTENT, "The request body is empty.", null);
        }
        try {
            return ARM.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw ArmException.badRequest(ErrorCodes.INVALID_REQUEST_CONTENT, describe(e), jsonPath(e));
        }
    }

    /** A message that says where the body went wrong, without echoing the body itself. */
    static String describe(JsonProcessingException e) {
        var loc = e.getLocation();
        String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        String what = e.getOriginalMessage();
        if (what != null && what.length() > 200) {
            what = what.substring(0, 200) + "…";
        }
        return "The request content is not valid" + where + ": " + what;
    }

    static String jsonPath(JsonProcessingException e) {
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
        }
        return null;
    }
}
