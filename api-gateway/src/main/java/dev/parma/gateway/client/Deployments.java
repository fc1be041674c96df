package dev.parma.gateway.client;

import static dev.parma.gateway.client.Relay.Idempotence.IDEMPOTENT;
import static dev.parma.gateway.client.Relay.Idempotence.ONCE_ONLY;

import dev.parma.gateway.Metrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.function.Supplier;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The deployment service as the gateway sees it: its answers are relayed with their status, body and ARM
 * headers; if it cannot be reached the tenant gets a retryable CloudError, not a stack trace. Reads, whole-resource
 * PUTs and DELETEs are retried once when the service is briefly away ({@link Relay}); PATCH and POST actions never.
 */
@ApplicationScoped
public class Deployments {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final DeploymentRestClient client;
    private final Metrics metrics;

    Deployments(@RestClient DeploymentRestClient client, Metrics metrics) {
        this.client = client;
        this.metrics = metrics;
    }

    public Response put(String sub, String rg, String name, String apiVersion, String body) {
        return relay(IDEMPOTENT, () -> client.put(sub, rg, name, apiVersion, body));
    }

    public Response get(String sub, String rg, String name, String apiVersion) {
        return relay(IDEMPOTENT, () -> client.get(sub, rg, name, apiVersion));
    }

    public Response patch(String sub, String rg, String name, String apiVersion, String body) {
        return relay(ONCE_ONLY, () -> client.patch(sub, rg, name, apiVersion, body));
    }

    /** The group's location, for rate limiting its deletion; null if it cannot be read. */
    public String locationOf(String sub, String rg, String name, String apiVersion) {
        try (Response r = client.get(sub, rg, name, apiVersion)) {
            if (r.getStatus() != 200) {
                return null;
            }
            var node = JSON.readTree(r.readEntity(String.class));
            return node.path("location").isTextual() ? node.path("location").asText() : null;
        } catch (Exception e) {
            return null;
        }
    }

    public Response delete(String sub, String rg, String name, String apiVersion) {
        return relay(IDEMPOTENT, () -> client.delete(sub, rg, name, apiVersion));
    }

    public Response action(String sub, String rg, String name, String action, String apiVersion) {
        return relay(ONCE_ONLY, () -> client.action(sub, rg, name, action, apiVersion));
    }

    public Response logs(String sub, String rg, String name, String container, String apiVersion, Integer tail,
            Boolean timestamps) {
        return relay(IDEMPOTENT, () -> client.logs(sub, rg, name, container, apiVersion, tail, timestamps));
    }

    /** An exec session; the answer carries a one-time password and is relayed, never logged. */
    public Response exec(String sub, String rg, String name, String container, String apiVersion, String body) {
        return relay(ONCE_ONLY, () -> client.exec(sub, rg, name, container, apiVersion, body));
    }

    public Response list(String sub, String rg, String apiVersion, String skipToken) {
        return relay(IDEMPOTENT, () -> rg == null
                ? client.listBySubscription(sub, apiVersion, skipToken)
                : client.listByResourceGroup(sub, rg, apiVersion, skipToken));
    }

    public Response usages(String sub, String location, String apiVersion) {
        return relay(IDEMPOTENT, () -> client.usages(sub, location, apiVersion));
    }

    public Response operation(String sub, String location, String id, String apiVersion) {
        return relay(IDEMPOTENT, () -> client.operation(sub, location, id, apiVersion));
    }

    private Response relay(Relay.Idempotence idempotence, Supplier<Response> call) {
        return Relay.relay(metrics, "deployment", idempotence, call);
    }
}
