package dev.parma.deployment.group;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parma.contracts.Json;
import dev.parma.contracts.arm.ErrorCodes;
import dev.parma.contracts.node.ContainerWorkload;
import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.EnvVar;
import dev.parma.contracts.node.GroupWorkload;
import dev.parma.contracts.node.InstanceEvent;
import dev.parma.contracts.node.Isolation;
import dev.parma.contracts.node.StartGroup;
import dev.parma.deployment.api.ArmException;
import dev.parma.deployment.api.ContainerGroupBody;
import dev.parma.deployment.api.ContainerGroupValidator;
import dev.parma.deployment.node.Placement;
import dev.parma.deployment.outbox.Outbox;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The container-group lifecycle: each call is one transaction that changes the group, records the ARM
 * operation and writes the node command to the outbox together.
 */
@ApplicationScoped
public class ContainerGroups {

    private static final Logger LOG = Logger.getLogger(ContainerGroups.class);

    private final Placement placement;
    private final Outbox outbox;

    ContainerGroups(Placement placement, Outbox outbox) {
        this.placement = placement;
        this.outbox = outbox;
    }

    /** The outcome of a PUT: the group, its new operation, and whether it was created (201) or updated (200). */
    public record Accepted(ContainerGroupEntity group, OperationEntity operation, boolean created) {
    }

    @Transactional
    public Accepted createOrUpdate(String subscriptionId, String resourceGroup, String name, ContainerGroupBody body) {
        ContainerGroupValidator.checkGroupName(name);
        var valid = ContainerGroupValidator.validate(body);
        var now = Instant.now();
        var existing = ContainerGroupEntity.findByName(subscriptionId, resourceGroup, name);
        var group = existing.orElseGet(() -> {
            var g = new ContainerGroupEntity();
            g.id = UUID.randomUUID().toString();
            g.subscriptionId = subscriptionId;
            g.resourceGroup = resourceGroup;
            g.resourceGroupKey = resourceGroup.toLowerCase(Locale.ROOT);
            g.name = name;
            g.createdAt = now;
            g.instanceView = json(InstanceView.pending());
            return g;
        });
        if (group.provisioningState == ProvisioningState.Deleting) {
            throw new ArmException(409, ErrorCodes.CONFLICT, "The container group '" + name
                    + "' is being deleted; wait for the deletion to finish.", null);
        }
        if (existing.isPresent() && !group.location.equals(valid.location())) {
            throw ArmException.badRequest(ErrorCodes.INVALID_PROPERTY_VALUE, "The location of an existing container"
                    + " group cannot change (it is '" + group.location + "').", "location");
        }
        var props = valid.properties();
        group.location = valid.location();
        group.sku = props.sku();
        group.spec = json(props);
        group.tags = valid.tags() == null ? null : json(valid.tags());
        group.hostData = "Confidential".equals(props.sku()) ? hostData(props.confidentialComputeProperties()) : null;
        group.generation++;
        group.requestedCpu = props.containers().stream().mapToDouble(c -> c.properties().resources().requests().cpu())
                .sum();
        group.requestedMemory = props.containers().stream()
                .mapToDouble(c -> c.properties().resources().requests().memoryInGB()).sum();
        group.updatedAt = now;
        group.provisioningState = existing.isPresent() ? ProvisioningState.Updating : ProvisioningState.Creating;
        group.persist();

        OperationEntity.complete(group.id, OperationEntity.FAILED, "Superseded",
                "A newer request replaced this operation.", now);
        var op = newOperation(group, existing.isPresent() ? "Update" : "Create", now);
        tryStart(group, props);
        return new Accepted(group, op, existing.isEmpty());
    }

    /** Starts deletion. Empty when there is no such group (ARM answers 204). */
    @Transactional
    public Optional<OperationEntity> delete(String subscriptionId, String resourceGroup, String name) {
        var found = ContainerGroupEntity.findByName(subscriptionId, resourceGroup, name);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        var group = found.get();
        var now = Instant.now();
        OperationEntity.complete(group.id, OperationEntity.FAILED, "Canceled", "The group is being deleted.", now);
        var op = newOperation(group, "Delete", now);
        if (group.nodeId == null) {
            op.status = OperationEntity.SUCCEEDED;
            op.endTime = now;
            group.delete();
        } else if (group.provisioningState != ProvisioningState.Deleting) {
            group.provisioningState = ProvisioningState.Deleting;
            group.updatedAt = now;
            outbox.commandNode(group.nodeId, new DeleteGroup(UUID.randomUUID().toString(), group.id, group.generation));
        }
        return Optional.of(op);
    }

    /** Groups that found no node are retried while they wait. */
    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void retryPending() {
        List<ContainerGroupEntity> waiting = ContainerGroupEntity.list("nodeId is null and provisioningState = ?1",
                ProvisioningState.Pending);
        for (var group : waiting) {
            tryStart(group, read(group.spec, ContainerGroupBody.Properties.class));
        }
    }

    private void tryStart(ContainerGroupEntity group, ContainerGroupBody.Properties props) {
        boolean confidential = "Confidential".equals(props.sku());
        if (group.nodeId == null) {
            var node = placement.place(group, confidential);
            if (node.isEmpty()) {
                if (group.provisioningState != ProvisioningState.Pending) {
                    group.provisioningState = ProvisioningState.Pending;
                    addGroupEvent(group, InstanceEvent.warning(null, "NoCapacity", "No " + (confidential
                            ? "SEV-SNP capable "
                            : "") + "node has room for " + group.requestedCpu + " CPU and "
                            + group.requestedMemory + " GB now; the group waits and is retried.", Instant.now()));
                    LOG.infof("group %s waits for capacity", group.id);
                }
                return;
            }
            group.nodeId = node.get().id;
            group.provisioningState = group.generation > 1 ? ProvisioningState.Updating : ProvisioningState.Creating;
        }
        outbox.commandNode(group.nodeId, new StartGroup(UUID.randomUUID().toString(), group.id, group.generation,
                workload(group, props)));
    }

    private static void addGroupEvent(ContainerGroupEntity group, InstanceEvent event) {
        group.instanceView = json(read(group.instanceView, InstanceView.class).withGroupEvent(event));
    }

    static GroupWorkload workload(ContainerGroupEntity group, ContainerGroupBody.Properties props) {
        var containers = props.containers().stream().map(c -> {
            var p = c.properties();
            var env = p.environmentVariables() == null
                    ? List.<EnvVar>of()
                    : p.environmentVariables().stream()
                            .map(v -> v.secureValue() != null
                                    ? new EnvVar(v.name(), v.secureValue(), true)
                                    : new EnvVar(v.name(), v.value() == null ? "" : v.value(), false))
                            .toList();
            return new ContainerWorkload(c.name(), p.image(), p.command(), env, p.resources().requests().cpu(),
                    p.resources().requests().memoryInGB());
        }).toList();
        boolean confidential = "Confidential".equals(props.sku());
        return new GroupWorkload(group.resourceId(), confidential ? Isolation.CONFIDENTIAL : Isolation.STANDARD,
                props.restartPolicy(), containers,
                confidential ? props.confidentialComputeProperties().ccePolicy() : null, group.hostData);
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

    /** HOST_DATA: SHA-256 of the decoded policy bytes, hex. */
    static String hostData(ContainerGroupBody.ConfidentialComputeProperties ccp) {
        try {
            byte[] policy = Base64.getDecoder().decode(ccp.ccePolicy().trim().getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(policy));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
