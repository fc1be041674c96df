package dev.parma.attestation.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.contracts.arm.CloudError;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Requests refused by the HTTP layer before they reach a resource — a streamed body over the size limit, a path or
 * header that does not decode — answer with a CloudError too, not with an empty body or the framework's error page.
 */
@ApplicationScoped
public class HttpFailures {
    private static final Logger LOG = Logger.getLogger(HttpFailures.class);

    private final ObjectMapper json;

    HttpFailures(ObjectMapper json) {
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::answer);
    }

    void answer(RoutingContext ctx) {
        var response = ctx.response();
        if (response.headWritten()) {
            if (!response.ended()) {
                response.end();
            }
            return;
        }
        int status = ctx.statusCode() >= 400 && ctx.statusCode() < 600 ? ctx.statusCode() : 500;
        if (status >= 500) {
            LOG.error("request failed in the HTTP layer", ctx.failure());
        }
        CloudError error = switch (status) {
            case 404 -> CloudError.of(AttestationErrors.NOT_FOUND, "No resource at this path.");
            case 405 -> CloudError.of("MethodNotAllowed", "The method is not allowed on this path.");
            case 413 -> CloudError.of(AttestationErrors.REQUEST_TOO_LARGE, "The request body is too large.");
            case 414 -> CloudError.of("RequestUriTooLong", "The request URI is too long.");
            case 415 -> CloudError.of("UnsupportedMediaType", "The Content-Type is not supported.");
            case 431 -> CloudError.of("RequestHeadersTooLarge", "The request headers are too large.");
            default -> status >= 500
                    ? CloudError.of(AttestationErrors.INTERNAL, "The request failed; it has been logged.")
                    : CloudError.of(AttestationErrors.INVALID_REQUEST_CONTENT, "The request is malformed (path,"
                            + " query, headers or body).");
        };
        String body;
        try {
            body = json.writeValueAsString(Messages.safe(error));
        } catch (JsonProcessingException e) {
            body = "{\"error\":{\"code\":\"InternalServerError\",\"message\":\"The request failed.\"}}";
        }
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
    }
}
