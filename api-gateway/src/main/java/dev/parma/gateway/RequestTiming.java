package dev.parma.gateway;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Times every API request from before routing to the answer, and reports it to {@link Metrics} under its route
 * template ({@code /subscriptions/{sub}/...}, never the concrete path: tenant ids must not become label values).
 */
public class RequestTiming {

    private static final String START = RequestTiming.class.getName() + ".start";
    private static final Map<Method, String> ROUTES = new ConcurrentHashMap<>();

    private final Metrics metrics;

    RequestTiming(Metrics metrics) {
        this.metrics = metrics;
    }

    @ServerRequestFilter(preMatching = true)
    public void start(ContainerRequestContext request) {
        request.setProperty(START, System.nanoTime());
    }

    @ServerResponseFilter
    public void stop(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
        if (!(request.getProperty(START) instanceof Long start)) {
            return;
        }
        Method method = resource == null ? null : resource.getResourceMethod();
        String route = method == null ? "unmatched" : ROUTES.computeIfAbsent(method, RequestTiming::template);
        metrics.request(route, request.getMethod(), response.getStatus(), System.nanoTime() - start);
    }

    /** The class and method {@code @Path}s joined, with regular expressions dropped ({@code {action: a|b}}). */
    static String template(Method method) {
        Path type = method.getDeclaringClass().getAnnotation(Path.class);
        Path own = method.getAnnotation(Path.class);
        String path = (type == null ? "" : type.value()) + (own == null ? "" : "/" + own.value());
        path = path.replaceAll("\\{\\s*([^:}\\s]+)\\s*:[^}]*}", "{$1}").replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
