package dev.parma.gateway.arm;

import dev.parma.contracts.arm.CloudError;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** An error answered as a CloudError with an HTTP status. */
public class ArmError extends RuntimeException {

    private static final Logger LOG = Logger.getLogger(ArmError.class);

    /**
     * Seconds a client is told to wait (Retry-After) when the gateway answers 503 on its own: a backend's restart or
     * failover takes a few seconds.
     */
    public static final int RETRY_AFTER_SECONDS = 5;

    private final int status;
    private final CloudError error;

    /** Longest message and target an answer carries: a message names what is wrong, it does not echo input. */
    static final int MAX_MESSAGE = 2048;
    static final int MAX_TARGET = 256;

    public ArmError(int status, CloudError error) {
        super(error.error().message());
        this.status = status;
        this.error = bounded(error);
    }

    /** {@code e} with its message and target (and those of its details) cut to their bounds. */
    static CloudError bounded(CloudError e) {
        return new CloudError(bounded(e.error()));
    }

    private static CloudError.CloudErrorBody bounded(CloudError.CloudErrorBody b) {
        var details = b.details() == null ? null : b.details().stream().limit(100).map(ArmError::bounded).toList();
        return new CloudError.CloudErrorBody(b.code(), cut(b.message(), MAX_MESSAGE), cut(b.target(), MAX_TARGET),
                details);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max) + "… (" + s.length() + " characters)";
    }

    /** The gateway's own database failed: 503, the cause logged (never shown), the client told to retry. */
    public static ArmError stateUnavailable(String what, java.sql.SQLException cause) {
        LOG.warnf("gateway database unavailable (%s): %s", what, cause.getMessage());
        return unavailable();
    }

    /** 503 ServiceUnavailable; {@link #toResponse()} adds Retry-After, as to every 503. */
    public static ArmError unavailable() {
        return new ArmError(503, CloudError.of(SERVICE_UNAVAILABLE,
                "The service is temporarily unavailable; retry the request after the time in Retry-After."));
    }

    public static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";

    public int status() {
        return status;
    }

    /** The CloudError code. */
    public String code() {
        return error.error().code();
    }

    /** The answer; a 503 always says when to retry (Retry-After, seconds). */
    public Response toResponse() {
        var out = Response.status(status).type(MediaType.APPLICATION_JSON).entity(error);
        if (status == 503) {
            out.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        return out.build();
    }

    /** Maps every failure to a CloudError; nothing internal reaches the tenant. */
    public static class Mappers {

        @ServerExceptionMapper
        public Response arm(ArmError e) {
            return e.toResponse();
        }

        /**
         * The framework's own refusals. Their messages can name Java types (a parameter that does not convert), so
         * each status gets a fixed message of ours instead.
         */
        @ServerExceptionMapper
        public Response web(jakarta.ws.rs.WebApplicationException e) {
            int status = e.getResponse().getStatus();
            CloudError error = switch (status) {
                case 404 -> CloudError.of("ResourceNotFound", "The requested path does not exist.");
                case 405 -> CloudError.of("MethodNotAllowed", "The HTTP method is not allowed on this path.");
                case 406 -> CloudError.of("NotAcceptable", "The service answers application/json only.");
                case 413 -> CloudError.of("RequestTooLarge", "The request body is too large.");
                case 415 -> CloudError.of("UnsupportedMediaType", "The request content type is not supported.");
                case 503 -> CloudError.of(SERVICE_UNAVAILABLE, "The service is temporarily unavailable; retry the"
                        + " request after the time in Retry-After.");
                default -> status >= 500
                        ? CloudError.of("InternalServerError", "The request failed.")
                        : CloudError.of("BadRequest", "The request is not valid: check the path, the query"
                                + " parameters and the headers.");
            };
            return new ArmError(status >= 400 && status < 600 ? status : 400, error).toResponse();
        }

        @ServerExceptionMapper
        public Response unexpected(Exception e) {
            LOG.error("unhandled error", e);
            return new ArmError(500, CloudError.of("InternalServerError", "The request failed; it has been logged."))
                    .toResponse();
        }
    }
}
