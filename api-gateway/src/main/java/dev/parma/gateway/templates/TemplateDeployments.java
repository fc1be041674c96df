package dev.parma.gateway.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.contracts.arm.CloudError;
import dev.parma.gateway.arm.ApiVersions;
import dev.parma.gateway.arm.ArmError;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs template deployments: each container group of the plan is PUT to the deployment service in dependsOn
 * order, and the next waits until the one before reaches a terminal provisioning state. Then outputs are
 * evaluated, {@code reference()} reading the deployed groups. Deployment records live in this gateway's memory.
 */
@ApplicationScoped
public class TemplateDeployments {

    private static final Logger LOG = Logger.getLogger(TemplateDeployments.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "quarkus.rest-client.deployment.url")
    String backend;

    @ConfigProperty(name = "parma.templates.poll-interval", defaultValue = "PT1S")
    Duration pollInterval;

    @ConfigProperty(name = "parma.templates.resource-timeout", defaultValue = "PT15M")
    Duration resourceTimeout;

    private final Map<String, DeploymentRecord> records = new ConcurrentHashMap<>();
    private final ExecutorService runner = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "template-deployment");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @PreDestroy
    void stop() {
        runner.shutdownNow();
    }

    static String key(String sub, String rg, String name) {
        return (sub + "|" + rg + "|" + name).toLowerCase(Locale.ROOT);
    }

    Optional<DeploymentRecord> find(String sub, String rg, String name) {
        return Optional.ofNullable(records.get(key(sub, rg, name)));
    }

    java.util.List<DeploymentRecord> list(String sub, String rg) {
        return records.values().stream()
                .filter(r -> r.subscription.equalsIgnoreCase(sub) && r.resourceGroup.equalsIgnoreCase(rg))
                .sorted(java.util.Comparator.comparing(r -> r.started)).toList();
    }

    /** Registers and starts a deployment; returns true if it is new (201) rather than a re-deployment (200). */
    boolean start(DeploymentRecord record, TemplateEngine engine) {
        String k = key(record.subscription, record.resourceGroup, record.name);
        var previous = records.get(k);
        if (previous != null && !previous.terminal()) {
            throw new ArmError(409, CloudError.of("DeploymentActive", "The deployment '" + record.name
                    + "' is still running; wait for it to finish before deploying again under the same name."));
        }
        records.put(k, record);
        runner.submit(() -> run(record, engine));
        return previous == null;
    }

    private void run(DeploymentRecord d, TemplateEngine engine) {
        d.state = "Running";
        try {
            for (var r : d.resources) {
                String version = r.apiVersion() != null && ApiVersions.CONTAINER_INSTANCE.contains(r.apiVersion())
                        ? r.apiVersion()
                        : "2025-09-01";
                String url = backend + r.id() + "?api-version=" + version;
                var put = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(r.body()))).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (put.statusCode() >= 300) {
                    fail(d, r, put.statusCode(), put.body());
                    return;
                }
                synchronized (d.outputResources) {
                    d.outputResources.add(r.id());
                }
                JsonNode group = awaitTerminal(url);
                String state = group.path("properties").path("provisioningState").asText("TimedOut");
                if (!state.equals("Succeeded")) {
                    ObjectNode error = Functions.NODES.objectNode();
                    ObjectNode inner = error.putObject("error");
                    inner.put("code", "ResourceDeploymentFailure");
                    JsonNode events = group.path("properties").path("instanceView").path("events");
                    String reason = events.isArray() && events.size() > 0
                            ? " Last event: " + events.get(events.size() - 1).path("name").asText() + ": "
                                    + events.get(events.size() - 1).path("message").asText()
                            : "";
                    inner.put("message", "The resource provision operation did not complete successfully:"
                            + " provisioningState is '" + state + "'." + reason);
                    fail(d, r, 200, error.toString());
                    return;
                }
            }
            d.outputs = engine.outputs(id -> {
                // only what this deployment created: reference() must not read another subscription's groups
                boolean ours;
                synchronized (d.outputResources) {
                    ours = d.outputResources.stream().anyMatch(r -> r.equalsIgnoreCase(id));
                }
                if (!ours) {
                    return null;
                }
                try {
                    var get = http.send(HttpRequest.newBuilder(URI.create(backend + id + "?api-version=2025-09-01"))
                            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                    return get.statusCode() == 200 ? JSON.readTree(get.body()) : null;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                } catch (Exception e) {
                    return null;
                }
            });
            d.state = "Succeeded";
        } catch (TemplateError e) {
            d.error = JSON.valueToTree(e.toArm(null).toResponse().getEntity()).get("error");
            d.state = "Failed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            d.state = "Canceled";
        } catch (Exception e) {
            LOG.warnf("deployment %s failed: %s", d.id, e.toString());
            ObjectNode err = Functions.NODES.objectNode();
            err.put("code", "DeploymentFailed");
            err.put("message", "The deployment could not reach the container group service; retry the deployment.");
            d.error = err;
            d.state = "Failed";
        } finally {
            d.ended = Instant.now();
        }
    }

    /** The group once its provisioningState is terminal; a missing one or a timeout is reported as such. */
    private JsonNode awaitTerminal(String url) throws Exception {
        long deadline = System.nanoTime() + resourceTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            var get = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (get.statusCode() == 200) {
                JsonNode group = JSON.readTree(get.body());
                String state = group.path("properties").path("provisioningState").asText("");
                if (state.equals("Succeeded") || state.equals("Failed") || state.equals("Canceled")) {
                    return group;
                }
            } else if (get.statusCode() == 404) {
                return stateOnly("Deleted");
            }
            Thread.sleep(pollInterval.toMillis());
        }
        return stateOnly("TimedOut");
    }

    private static JsonNode stateOnly(String state) {
        ObjectNode n = Functions.NODES.objectNode();
        n.putObject("properties").put("provisioningState", state);
        return n;
    }

    private static void fail(DeploymentRecord d, TemplateEngine.Resource r, int status, String body) {
        ObjectNode err = Functions.NODES.objectNode();
        err.put("code", "DeploymentFailed");
        err.put("message", "At least one resource deployment operation failed. See details.");
        ObjectNode detail = err.putArray("details").addObject();
        JsonNode upstream;
        try {
            upstream = JSON.readTree(body).path("error");
        } catch (Exception e) {
            upstream = Functions.NODES.objectNode();
        }
        detail.put("code", upstream.path("code").asText(status >= 500 ? "InternalServerError" : "BadRequest"));
        detail.put("message",
                upstream.path("message").asText("The container group was refused (HTTP " + status + ")."));
        detail.put("target", r.id() + (upstream.hasNonNull("target") ? "#" + upstream.get("target").asText() : ""));
        d.error = err;
        d.state = "Failed";
    }
}
