package dev.parma.gateway.arm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.contracts.arm.CloudError;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.URISyntaxException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The request line and length as they arrive, before anything decodes, normalizes or reads them: a path that is not
 * canonical (dot segments, empty segments, an escaped {@code /}, {@code \}, {@code .} or {@code %}, control
 * characters, a malformed escape), a URI over {@value #MAX_URI} characters or a declared body over the limit is
 * answered here with a CloudError. Nothing downstream may resolve {@code ..}: a path means what it says.
 * <p>
 * The route runs first of all (before Quarkus' own body-size check, whose answer has no body, and before any route
 * with a path: matching one decodes the path, and a malformed escape there is an unhandled exception). The HTTP
 * codec's line limit is set above {@value #MAX_URI} so the codec leaves long URIs to us; a line beyond the codec's
 * limit still gets its bare 414.
 */
@ApplicationScoped
public class RawRequests {

    /** Longest request URI (path and query) we answer; Azure's front door allows a little less. */
    public static final int MAX_URI = 8192;
    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBody;

    void route(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check).failureHandler(RawRequests::failed);
    }

    /**
     * What fails before any resource is reached (a path the router cannot decode, a body over the limit while it
     * streams in) is answered as a CloudError too; anything else goes on to the next failure handler.
     */
    static void failed(RoutingContext rc) {
        int status = rc.statusCode();
        if (rc.response().ended() || rc.response().headWritten() || status < 400 || status >= 500) {
            rc.next();
            return;
        }
        refuse(rc, status, switch (status) {
            case 413 -> CloudError.of("RequestTooLarge", "The request body is too large.");
            case 414 -> CloudError.of("RequestUriTooLong", "The request URI is too long.");
            case 404 -> CloudError.of("ResourceNotFound", "The requested path does not exist.");
            default -> CloudError.of("InvalidRequestUri", "The request could not be read: check the path's"
                    + " percent escapes, the query and the headers.");
        });
    }

    void check(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String uri = request.uri();
        if (uri != null && uri.length() > MAX_URI) {
            refuse(rc, 414, CloudError.of("RequestUriTooLong", "The request URI is longer than " + MAX_URI
                    + " characters."));
            return;
        }
        String problem = parses(uri) ? problem(request.path(), request.query()) : "it is not a valid URI";
        if (problem != null) {
            refuse(rc, 400, CloudError.of("InvalidRequestUri", "The request URI is not canonical: " + problem + "."));
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared < 0 || declared > maxBody.asLongValue()) {
                rc.response().putHeader("Connection", "close");
                refuse(rc, declared < 0 ? 400 : 413, declared < 0
                        ? CloudError.of("InvalidRequestContent", "The Content-Length header is not a number.")
                        : CloudError.of("RequestTooLarge", "The request body is larger than "
                                + maxBody.asLongValue() / (1024 * 1024) + " MB."));
                return;
            }
        }
        rc.next();
    }

    /** Whether {@code uri} is a URI at all (Vert.x's own check is off: see {@code Main}). */
    private static boolean parses(String uri) {
        try {
            new URI(uri);
            return true;
        } catch (URISyntaxException | NullPointerException e) {
            return false;
        }
    }

    /** Why {@code path} (raw) and {@code query} (raw) are not canonical, or null if they are. */
    public static String problem(String path, String query) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            return "the path must start with '/'";
        }
        String[] segments = path.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            String why = escapes(s, true);
            if (why != null) {
                return why;
            }
            if (s.isEmpty() && i < segments.length - 1) {
                return "it has an empty path segment ('//')";
            }
            String decoded = s.replace("%2e", ".").replace("%2E", ".");
            if (decoded.equals(".") || decoded.equals("..")) {
                return "it has a '" + decoded + "' path segment";
            }
        }
        return query == null ? null : escapes(query, false);
    }

    /** A malformed escape, an escaped separator, '%', '.' (paths only) or control character, or a raw one. */
    private static String escapes(String s, boolean path) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || path && c == '\\') {
                return "it has a control character or '\\'";
            }
            if (c != '%') {
                continue;
            }
            if (i + 2 >= s.length() || hex(s.charAt(i + 1)) < 0 || hex(s.charAt(i + 2)) < 0) {
                return "it has a malformed percent escape";
            }
            int b = hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2));
            if (b < 0x20 || b == 0x7f || path && (b == '/' || b == '\\' || b == '%')) {
                return "it has an escaped '" + (b == '/' ? "/" : b == '\\' ? "\\" : b == '%' ? "%" : "control")
                        + "' character";
            }
        }
        return null;
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    private static void refuse(RoutingContext rc, int status, CloudError error) {
        try {
            rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(JSON.writeValueAsString(error));
        } catch (JsonProcessingException e) {
            rc.fail(status);
        }
    }
}
