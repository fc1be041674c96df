package dev.parma.gateway.arm;

import dev.parma.contracts.arm.CloudError;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** An error answered as a CloudError with an HTTP status. */
public class ArmError extends RuntimeException {

    private static final Logger LOG = Logger.getLogger(ArmError.class);

    private final int status;
    private final CloudError error;

    public ArmError(int status, CloudError error) {
        super(error.error().message());
        this.status = status;
        this.error = error;
    }

    /** The gateway's own database failed: 503, the cause logged (never shown), the client told to retry. */
    public static ArmError stateUnavailable(String what, java.sql.SQLException cause) {
        LOG.warnf("gateway database unavailable (%s): %s", what, cause.getMessage());
        return new ArmError(503, CloudError.of("ServiceUnavailable",
                "The service is temporarily unavailable; retry the request later."));
    }

    public int status() {
        return status;
    }

    /** The CloudError code. */
    public String code() {
        return error.error().code();
    }

    public Response toResponse() {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(error).build();
    }

    /** Maps every failure to a CloudError; nothing internal reaches the tenant. */
    public static class Mappers {

        @ServerExceptionMapper
        public Response arm(ArmError e) {
            return e.toResponse();
        }

        @ServerExceptionMapper
        public Response web(jakarta.ws.rs.WebApplicationException e) {
            int status = e.getResponse().getStatus();
            String code = status == 404
                    ? "ResourceNotFound"
                    : status == 405
                            ? "MethodNotAllowed"
                            : status == 413 ? "RequestTooLarge" : status >= 500 ? "InternalServerError" : "BadRequest";
            return new ArmError(status, CloudError.of(code, status >= 500 ? "The request failed." : e.getMessage()))
                    .toResponse();
        }

        @ServerExceptionMapper
        public Response unexpected(Exception e) {
            LOG.error("unhandled error", e);
            return new ArmError(500, CloudError.of("InternalServerError", "The request failed; it has been logged."))
                    .toResponse();
        }
    }
}
