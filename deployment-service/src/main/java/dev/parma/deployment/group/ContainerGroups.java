package dev.parma.deployment.group;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parma.contracts.Json;
import dev.parma.contracts.arm.ErrorCodes;
import dev.parma.contracts.events.EventTypes;
import dev.parma.contracts.node.InstanceEvent;
import dev.parma.deployment.api.ArmException;
import dev.parma.deployment.api.ContainerGroupBody;
import dev.parma.deployment.api.ContainerGroupValidator;
import dev.parma.deployment.group.GroupPhase.Failed;
import dev.parma.deployment.node.Placement;
import dev.parma.deployment.group.GroupPhase.Stopped;
import dev.parma.deployment.group.LifecycleEvent.DeleteRequested;
import dev.parma.deployment.group.LifecycleEvent.Rejected;
import dev.parma.deployment.group.LifecycleEvent.RestartRequested;
import dev.parma.deployment.group.LifecycleEvent.StartRequested;
import dev.parma.deployment.group.LifecycleEvent.StopRequested;
import dev.parma.deployment.group.LifecycleEvent.UpdateRequested;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The tenant's operations on container groups. Each is one transaction: the group, its quota, its ARM
 * operation, its policy denials and the messages it causes (node commands, lifecycle, quota and billing
 * events) commit together.
 */
@ApplicationScoped
public class ContainerGroups {

    private final Lifecycle lifecycle;
    private final Placement placement;
    private final Denials denials;

    ContainerGroups(Lifecycle lifecycle, Placement placement, Denials denials) {
        this.lifecycle = lifecycle;
        this.placement = placement;
        this.denials = denials;
    }

    /** The outcome of an operation: the group and its new ARM operation (null when nothing was started). */
    public record Accepted(ContainerGroupEntity group, OperationEntity operation, boolean created) {
    }

    @Transactional
    public Accepted createOrUpdate(String subscriptionId, String resourceGroup, String name, ContainerGroupBody body) {
        ContainerGroupValidator.checkGroupName(name);
        var valid = ContainerGroupValidator.validate(body);
        var props = valid.properties();
        var now = Instant.now();
        double cpu = props.containers().stream().mapToDouble(c -> c.properties().resources().requests().cpu()).sum();
        double mem = props.containers().stream()
                .mapToDouble(c -> c.properties().resources().requests().memoryInGB()).sum();
        var confidential = "Confidential".equals(props.sku());
        var policy = confidential ? PolicyCheck.parse(props.confidentialComputeProperties().ccePolicy()) : null;
        var preflight = confidential
                ? PolicyCheck.preflight(policy, props)
                : new PolicyCheck.Result(List.of(), List.of());
        var problems = preflight.problems();
        var rejected = problems.isEmpty()
                ? null
                : new Rejected("The execution policy would deny " + problems.size() + " container setting(s); no VM"
                        + " was started. See the operation's error details.",
                        problems.stream()
                                .map(PolicyCheck.Problem::error).toList());
        String hostData = confidential ? policy.hostData().hex() : null;
        var existing = ContainerGroupEntity.findByName(subscriptionId, resourceGroup, name);
        if (existing.isEmpty()) {
            var g = new ContainerGroupEntity();
            g.id = UUID.randomUUID().toString();
            g.subscriptionId = subscriptionId;
            g.resourceGroup = resourceGroup;
            g.resourceGroupKey = resourceGroup.toLowerCase(Locale.ROOT);
            g.name = name;
            g.createdAt = now;
            g.phase = "Pending";
            g.phaseSince = now;
            g.generation = 1;
            g.instanceView = json(InstanceView.pending());
            describe(g, valid, hostData, cpu, mem, now);
            preflight.notes().forEach(n -> Lifecycle.addEvent(g, InstanceEvent.warning(null, "PolicyPreflightNote", n,
                    now)));
            warnIfPolicyIgnored(g, body, confidential, now);
            g.persist();
            lifecycle.reserveQuota(g, cpu);
            var op = newOperation(g, "Create", now);
            lifecycle.publish(g, EventTypes.CREATED, null, now);
            if (rejected != null) {
                lifecycle.apply(g, rejected, now);
                denials.preflight(g, problems, now);
            } else {
                lifecycle.tryPlace(g, now);
            }
            return new Accepted(g, op, true);
        }
        var g = existing.get();
        if (g.phase() instanceof GroupPhase.Deleting) {
            throw new ArmException(409, ErrorCodes.CONFLICT, "The container group '" + name
                    + "' is being deleted; wait for the deletion to finish.", null);
        }
        if (!g.location.equals(valid.location())) {
            throw ArmException.badRequest("PropertyChangeNotAllowed", "The location of an existing container group"
                    + " cannot change (it is '" + g.location + "').", "location");
        }
        if (!g.sku.equals(props.sku())) {
            throw ArmException.badRequest("PropertyChangeNotAllowed", "The sku of an existing container group cannot"
                    + " change (it is '" + g.sku + "'); delete and recreate it.", "properties.sku");
        }
        if (g.phase().holdsQuota()) {
            lifecycle.resizeQuota(g, g.requestedCpu, cpu);
        }
        if (g.nodeId != null) {
            placement.reserve(g.nodeId, cpu - g.requestedCpu, mem - g.requestedMemory);
        }
        describe(g, valid, hostData, cpu, mem, now);
        preflight.notes().forEach(n -> Lifecycle.addEvent(g, InstanceEvent.warning(null, "PolicyPreflightNote", n,
                now)));
        g.generation++;
        OperationEntity.complete(g.id, OperationEntity.FAILED, "Superseded", "A newer request replaced this"
                + " operation.", now);
        var op = newOperation(g, "Update", now);
        lifecycle.apply(g, rejected != null ? rejected : new UpdateRequested(), now);
        if (rejected != null) {
            denials.preflight(g, problems, now);
        }
        return new Accepted(g, op, false);
    }

    /**
     * ACI defaults the SKU to Standard, where a ccePolicy means nothing. A tenant who sent one most likely meant
     * Confidential, so say plainly that it is not enforced rather than drop it silently.
     */
    private static void warnIfPolicyIgnored(ContainerGroupEntity g, ContainerGroupBody body, boolean confidential,
            Instant now) {
        var ccp = body.properties().confidentialComputeProperties();
        if (!confidential && ccp != null && ccp.ccePolicy() != null && !ccp.ccePolicy().isBlank()) {
            Lifecycle.addEvent(g, InstanceEvent.warning(null, "CcePolicyIgnored", "A ccePolicy was sent for a"
                    + " Standard container group; it is not enforced and no HOST_DATA is bound. Set \"sku\":"
                    + " \"Confidential\" to run the group in a confidential UVM under that policy.", now));
        }
    }

    /** Starts deletion. Empty when there is no such group (ARM answers 204). */
    @Transactional
    public Optional<OperationEntity> delete(String subscriptionId, String resourceGroup, String name) {
        var found = ContainerGroupEntity.findByName(subscriptionId, resourceGroup, name);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        var g = found.get();
        var now = Instant.now();
        if (g.phase() instanceof GroupPhase.Deleting) {
            return OperationEntity.<OperationEntity>find("groupId = ?1 and kind = 'Delete' and status = ?2", g.id,
                    OperationEntity.IN_PROGRESS).firstResultOptional().or(
                            () -> Optional.of(newOperation(g, "Delete",
                                    now)));
        }
        OperationEntity.complete(g.id, OperationEntity.FAILED, "Canceled", "The group is being deleted.", now);
        var op = newOperation(g, "Delete", now);
        if (lifecycle.apply(g, new DeleteRequested(), now) instanceof GroupPhase.Deleted) {
            op.status = OperationEntity.SUCCEEDED;
            op.endTime = now;
        }
        return Optional.of(op);
    }

    /** ACI's stop: synchronous; compute is deallocated, quota released, billing stopped. */
    @Transactional
    public ContainerGroupEntity stop(String subscriptionId, String resourceGroup, String name) {
        var g = require(subscriptionId, resourceGroup, name);
        lifecycle.apply(g, new StopRequested(), Instant.now());
        return g;
    }

    /** ACI's start: a stopped (or failed) group is scheduled again. Empty when it already runs (204). */
    @Transactional
    public Optional<Accepted> start(String subscriptionId, String resourceGroup, String name) {
        var g = require(subscriptionId, resourceGroup, name);
        if (!(g.phase() instanceof Stopped || g.phase() instanceof Failed)) {
            if (g.phase() instanceof GroupPhase.Deleting) {
                throw new IllegalTransitionException(g.phase(), new StartRequested());
            }
            return Optional.empty();
        }
        var now = Instant.now();
        var op = newOperation(g, "Start", now);
        lifecycle.apply(g, new StartRequested(), now);
        return Optional.of(new Accepted(g, op, false));
    }

    /** ACI's restart: every container restarts in place, as a new generation on the same node. */
    @Transactional
    public Accepted restart(String subscriptionId, String resourceGroup, String name) {
        var g = require(subscriptionId, resourceGroup, name);
        var now = Instant.now();
        g.generation++; // an illegal restart throws below and the transaction rolls this back
        var op = newOperation(g, "Restart", now);
        lifecycle.apply(g, new RestartRequested(), now);
        return new Accepted(g, op, false);
    }

    /** ARM PATCH: replaces the group's tags, nothing else; not long-running. */
    @Transactional
    public ContainerGroupEntity updateTags(String subscriptionId, String resourceGroup, String name,
            java.util.Map<String, String> tags) {
        var g = require(subscriptionId, resourceGroup, name);
        g.tags = tags.isEmpty() ? null : json(tags);
        g.updatedAt = Instant.now();
        return g;
    }

    private static ContainerGroupEntity require(String subscriptionId, String resourceGroup, String name) {
        return ContainerGroupEntity.findByName(subscriptionId, resourceGroup, name).orElseThrow(
                () -> new ArmException(404, ErrorCodes.RESOURCE_NOT_FOUND, "The Resource"
                        + " 'Microsoft.ContainerInstance/containerGroups/" + name + "' under resource group '"
                        + resourceGroup + "' was not found.", null));
    }

    private static void describe(ContainerGroupEntity g, ContainerGroupBody valid, String hostData, double cpu,
            double mem, Instant now) {
        var props = valid.properties();
        g.location = valid.location();
        g.sku = props.sku();
        g.spec = json(props);
        g.tags = valid.tags() == null ? null : json(valid.tags());
        g.hostData = hostData;
        g.requestedCpu = cpu;
        g.requestedMemory = mem;
        g.updatedAt = now;
    }

    private static OperationEntity newOperation(ContainerGroupEntity group, String kind, Instant now) {
        var op = new OperationEntity();
        op.id = UUID.randomUUID().toString();
        op.groupId = group.id;
        op.resourceId = group.resourceId();
        op.subscriptionId = group.subscriptionId;
        op.kind = kind;
        op.status = OperationEntity.IN_PROGRESS;
        op.startTime = now;
        op.persist();
        return op;
    }

    static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T read(String json, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not read back as " + type.getSimpleName(), e);
        }
    }
}
