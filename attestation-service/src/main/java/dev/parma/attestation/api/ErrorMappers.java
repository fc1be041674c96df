package dev.parma.attestation.api;

import dev.parma.contracts.arm.CloudError;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as a CloudError: never a stack trace, never an HTML page. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response refused(AttestationException e) {
        return json(e.status(), e.toCloudError());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String code = switch (status) {
            case 404 -> AttestationErrors.NOT_FOUND;
            case 405 -> "MethodNotAllowed";
            case 406, 415 -> "UnsupportedMediaType";
            case 413 -> AttestationErrors.REQUEST_TOO_LARGE;
            default -> status >= 500 ? AttestationErrors.INTERNAL : AttestationErrors.INVALID_REQUEST_CONTENT;
        };
        return json(status, CloudError.of(code, status >= 500 ? "The request failed." : e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unhandled error", e);
        return json(500, CloudError.of(AttestationErrors.INTERNAL, "The request failed; it has been logged."));
    }

    public static Response json(int status, CloudError error) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Messages.safe(error)).build();
    }
}
