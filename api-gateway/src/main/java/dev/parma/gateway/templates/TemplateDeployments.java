package dev.parma.gateway.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.gateway.arm.ApiVersions;
import dev.parma.gateway.arm.ArmError;
import dev.parma.gateway.client.Deployments;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs template deployments: each container group of the plan is PUT to the deployment service in dependsOn
 * order, and the next waits until the one before reaches a terminal provisioning state. Then outputs are
 * evaluated, {@code reference()} reading the deployed groups. Records live in PostgreSQL ({@link DeploymentStore}).
 * <p>
 * A run is executed by the gateway that accepted it and cannot move: its secure parameters are never stored, so no
 * other process could evaluate the template again. Instead a run in progress holds a lease that its gateway renews
 * every {@code parma.templates.heartbeat}; every gateway, at start and then at that pace, ends Failed with
 * {@code DeploymentInterrupted} each run whose lease was not renewed for {@code parma.templates.lease} (its gateway
 * died). A gateway that shuts down ends its own runs that way at once. The tenant deploys again under the same name
 * to finish: container groups are created or updated in place.
 */
@ApplicationScoped
public class TemplateDeployments {

    private static final Logger LOG = Logger.getLogger(TemplateDeployments.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFAULT_VERSION = "2025-09-01";

    @ConfigProperty(name = "parma.templates.poll-interval", defaultValue = "PT1S")
    Duration pollInterval;

    @ConfigProperty(name = "parma.templates.resource-timeout", defaultValue = "PT15M")
    Duration resourceTimeout;

    @ConfigProperty(name = "parma.templates.lease")
    Duration lease;

    private final DeploymentStore store;
    /** Operation ids of the runs this gateway executes: the leases it renews. */
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ExecutorService runner = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "template-deployment");
        t.setDaemon(true);
        return t;
    });
    /** The one way to the deployment service: the wrapped REST client, names as encoded path parameters. */
    private final Deployments client;

    TemplateDeployments(DeploymentStore store, Deployments client) {
        this.store = store;
        this.client = client;
    }

    /** Ends this gateway's runs as interrupted while the database is still there. */
    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        runner.shutdownNow();
        if (!runner.awaitTermination(5, TimeUnit.SECONDS)) {
            LOG.warnf("%d template deployments did not end in time; their leases will expire", running.size());
        }
    }

    /** Renews this gateway's leases, then ends the runs of gateways that stopped renewing theirs. */
    @Scheduled(every = "${parma.templates.heartbeat}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void keepLeases() {
        try {
            store.renew(Set.copyOf(running));
            var ended = store.interruptExpired(lease, interrupted());
            if (!ended.isEmpty()) {
                LOG.warnf("template deployments whose gateway stopped (no lease renewal for %s), now Failed: %s",
                        lease, ended);
            }
        } catch (ArmError databaseDown) {
            // logged where it happened; the next heartbeat tries again
        }
    }

    /** The error of a run cut short by its gateway's end. */
    static ObjectNode interrupted() {
        ObjectNode err = Functions.NODES.objectNode();
        err.put("code", "DeploymentInterrupted");
        err.put("message", "The deployment was interrupted: the gateway running it stopped before it finished."
                + " The container groups it had created are listed in outputResources and were left as they are;"
                + " deploy again under the same name to finish (groups are created or updated in place).");
        return err;
    }

    /**
     * Stores and starts a deployment of {@code record}; returns true if it is new (201) rather than a re-deployment
     * (200). A deployment of that name still in progress is a 409.
     */
    boolean start(String subscription, String resourceGroup, DeploymentRecord record, TemplateEngine engine,
            TemplateEngine.Plan plan) {
        boolean created = store.begin(subscription, resourceGroup, record);
        var run = new DeploymentStore.Run(subscription, resourceGroup, record.name(), record.operationId());
        running.add(run.operationId());
        try {
            runner.submit(() -> run(run, engine, plan.resources()));
        } catch (RejectedExecutionException shuttingDown) {
            running.remove(run.operationId());
            store.finish(run, DeploymentRecord.FAILED, null, interrupted());
        }
        return created;
    }

    private void run(DeploymentStore.Run run, TemplateEngine engine, List<TemplateEngine.Resource> resources) {
        try {
            if (!store.running(run)) {
                return;
            }
            var outcome = execute(run, engine, resources);
            if (!store.finish(run, outcome.state(), outcome.outputs(), outcome.error())) {
                LOG.infof("deployment %s ended %s after it was taken over", run.name(), outcome.state());
            }
        } catch (ArmError databaseDown) {
            // logged where it happened; with no more renewals the lease runs out and the run ends interrupted
        } finally {
            running.remove(run.operationId());
        }
    }

    private record Outcome(String state, ObjectNode outputs, JsonNode error) {
        static Outcome failed(JsonNode error) {
            return new Outcome(DeploymentRecord.FAILED, null, error);
        }
    }

    private Outcome execute(DeploymentStore.Run run, TemplateEngine engine, List<TemplateEngine.Resource> resources) {
        var created = new ArrayList<TemplateEngine.Resource>();
        try {
            for (var r : resources) {
                requireOwnScope(run, r);
                String version = r.apiVersion() != null && ApiVersions.CONTAINER_INSTANCE.contains(r.apiVersion())
                        ? r.apiVersion()
                        : DEFAULT_VERSION;
                String body = JSON.writeValueAsString(r.body());
                var put = call(() -> client.put(r.subscription(), r.resourceGroup(), r.name(), version, body));
                if (put.status() >= 300) {
                    return Outcome.failed(refused(r, put.status(), put.body()));
                }
                created.add(r);
                if (!store.created(run, r.id())) {
                    return Outcome.failed(interrupted()); // taken over: the finish will not apply either
                }
                JsonNode group = awaitTerminal(r, version);
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
                    return Outcome.failed(refused(r, 200, error.toString()));
                }
            }
            var outputs = engine.outputs(id -> {
                // only what this deployment created: reference() must not read another subscription's groups
                var r = created.stream().filter(c -> c.id().equalsIgnoreCase(id)).findFirst();
                if (r.isEmpty()) {
                    return null;
                }
                try {
                    var get = call(() -> client.get(r.get().subscription(), r.get().resourceGroup(), r.get().name(),
                            DEFAULT_VERSION));
                    return get.status() == 200 ? JSON.readTree(get.body()) : null;
                } catch (Exception e) {
                    return null;
                }
            });
            if (Thread.interrupted()) {
                return Outcome.failed(interrupted());
            }
            return new Outcome(DeploymentRecord.SUCCEEDED, DeploymentRecord.shown(outputs.values()), null);
        } catch (TemplateError e) {
            return Outcome.failed(JSON.valueToTree(e.toArm(null).toResponse().getEntity()).get("error"));
        } catch (InterruptedException e) {
            // the flag stays clear so the outcome can still be stored; the thread ends right after
            return Outcome.failed(interrupted());
        } catch (ArmError databaseDown) {
            throw databaseDown;
        } catch (Exception e) {
            LOG.warnf("deployment %s failed: %s", run.name(), e.toString());
            ObjectNode err = Functions.NODES.objectNode();
            err.put("code", "DeploymentFailed");
            err.put("message", "The deployment could not reach the container group service; retry the deployment.");
            return Outcome.failed(err);
        }
    }

    /**
     * Every resource a run touches is in the deployment's own subscription and resource group, the ones the caller
     * was authorized for. The engine only makes such resources; this holds whatever it becomes.
     */
    private static void requireOwnScope(DeploymentStore.Run run, TemplateEngine.Resource r) {
        if (!r.subscription().equalsIgnoreCase(run.subscription())
                || !r.resourceGroup().equalsIgnoreCase(run.resourceGroup())) {
            throw new IllegalStateException("a template resource outside its deployment's scope: " + r.id());
        }
    }

    /** A backend answer: status and body. */
    private record Answer(int status, String body) {
    }

    /** The backend that cannot be reached (its 503 is the tenant's answer elsewhere; here it fails the run). */
    private static final class Unreachable extends RuntimeException {
        Unreachable(ArmError cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static Answer call(java.util.function.Supplier<Response> call) {
        try (Response r = call.get()) {
            return new Answer(r.getStatus(), r.getEntity() instanceof String body ? body : "");
        } catch (ArmError unreachable) {
            throw new Unreachable(unreachable);
        }
    }

    /** The group once its provisioningState is terminal; a missing one or a timeout is reported as such. */
    private JsonNode awaitTerminal(TemplateEngine.Resource r, String version) throws Exception {
        long deadline = System.nanoTime() + resourceTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            var get = call(() -> client.get(r.subscription(), r.resourceGroup(), r.name(), version));
            if (get.status() == 200) {
                JsonNode group = JSON.readTree(get.body());
                String state = group.path("properties").path("provisioningState").asText("");
                if (state.equals("Succeeded") || state.equals("Failed") || state.equals("Canceled")) {
                    return group;
                }
            } else if (get.status() == 404) {
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

    /** The DeploymentFailed error naming the resource {@code r} and what the deployment service answered. */
    private static ObjectNode refused(TemplateEngine.Resource r, int status, String body) {
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
        return err;
    }
}
