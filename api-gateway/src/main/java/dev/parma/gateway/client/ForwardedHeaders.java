package dev.parma.gateway.client;

import io.quarkus.arc.Arc;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/**
 * Tells the deployment service (RFC 7239 Forwarded) which scheme and host the tenant called, so the URLs it
 * puts in Location and Azure-AsyncOperation headers point at the gateway, not at the internal service.
 */
@ApplicationScoped
public class ForwardedHeaders implements ClientHeadersFactory {

    @Inject
    HttpServerRequest request;

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming,
            MultivaluedMap<String, String> outgoing) {
        var headers = new MultivaluedHashMap<String, String>();
        if (!Arc.container().requestContext().isActive()) {
            return headers; // a template deployment's own calls: no tenant request to forward
        }
        var authority = request.authority();
        if (authority != null) {
            // RFC 7239: host keeps its port, unlike X-Forwarded-Host
            headers.putSingle("Forwarded", "proto=" + request.scheme() + ";host=\"" + authority + "\"");
        }
        return headers;
    }
}
