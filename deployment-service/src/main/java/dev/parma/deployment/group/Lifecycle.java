package dev.parma.deployment.group;

import dev.parma.contracts.events.CloudEvent;
import dev.parma.contracts.events.ContainerGroupLifecycle;
import dev.parma.contracts.events.EventTypes;
import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.InstanceEvent;
import dev.parma.deployment.Metrics;
import dev.parma.deployment.billing.Billing;
import dev.parma.deployment.group.GroupPhase.Deleted;
import dev.parma.deployment.group.GroupPhase.Deleting;
import dev.parma.deployment.group.GroupPhase.Failed;
import dev.parma.deployment.group.GroupPhase.Pending;
import dev.parma.deployment.group.GroupPhase.Repairing;
import dev.parma.deployment.group.GroupPhase.Stopped;
import dev.parma.deployment.group.GroupPhase.Succeeded;
import dev.parma.deployment.group.GroupPhase.Updating;
import dev.parma.deployment.group.LifecycleEvent.NodeFailed;
import dev.parma.deployment.group.LifecycleEvent.Placed;
import dev.parma.deployment.group.LifecycleEvent.Rejected;
import dev.parma.deployment.group.LifecycleEvent.RestartRequested;
import dev.parma.deployment.group.LifecycleEvent.StartRequested;
import dev.parma.deployment.group.LifecycleEvent.TimedOut;
import dev.parma.deployment.group.LifecycleEvent.UpdateRequested;
import dev.parma.deployment.node.Placement;
import dev.parma.deployment.outbox.Outbox;
import dev.parma.deployment.quota.QuotaName;
import dev.parma.deployment.quota.Quotas;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/**
 * Moves a group through {@link GroupPhase} and does, in the caller's transaction, everything a move implies:
 * quota reserved or released, billing started or stopped, the node told to start or remove the group (via the
 * outbox), the ARM operation completed, and a lifecycle CloudEvent published.
 */
@ApplicationScoped
public class Lifecycle {

    private final Placement placement;
    private final Outbox outbox;
    private final Quotas quotas;
    private final Billing billing;
    private final Metrics metrics;

    Lifecycle(Placement placement, Outbox outbox, Quotas quotas, Billing billing, Metrics metrics) {
        this.placement = placement;
        this.outbox = outbox;
        this.quotas = quotas;
        this.billing = billing;
        this.metrics = metrics;
    }

    /**
     * Applies {@code event}; throws {@link IllegalTransitionException} if the group's phase does not allow it.
     * That exception changes nothing, so it does not doom the caller's transaction.
     */
    @Transactional(value = Transactional.TxType.MANDATORY, dontRollbackOn = IllegalTransitionException.class)
    public GroupPhase apply(ContainerGroupEntity g, LifecycleEvent event, Instant now) {
        GroupPhase from = g.phase();
        GroupPhase to = from.on(event);

        if (from.holdsQuota() && !to.holdsQuota()) {
            releaseQuota(g, g.requestedCpu);
        } else if (!from.holdsQuota() && to.holdsQuota()) {
            reserveQuota(g, g.requestedCpu);
        }
        if (to instanceof Succeeded) {
            billing.start(g, now);
        } else if (!(to instanceof Updating)) {
            billing.stop(g, now);
        }
        if (from.nodeId() != null && !from.nodeId().equals(to.nodeId()) && !(to instanceof Deleting)
                && !(event instanceof LifecycleEvent.NodeLost)) {
            // The group left its node (stopped or given up): the node must deallocate it. Not when the node was
            // lost: it may come back still running the group, and its heartbeat then says whether it keeps it
            // (adopted) or is told to remove it (NodeReconciliation).
            outbox.commandNode(from.nodeId(), new DeleteGroup(UUID.randomUUID().toString(), g.id, g.generation));
        }
        if (to instanceof Deleting && !(from instanceof Deleting)) {
            outbox.commandNode(to.nodeId(), new DeleteGroup(UUID.randomUUID().toString(), g.id, g.generation));
        }
        if (provisioning(to) && (!provisioning(from) || event instanceof UpdateRequested
                || event instanceof RestartRequested)) {
            g.phaseSince = now;
        }
        if (!java.util.Objects.equals(from.nodeId(), to.nodeId())) {
            placement.move(from.nodeId(), to.nodeId(), g.requestedCpu, g.requestedMemory);
        }
        g.phase = to.name();
        g.nodeId = to.nodeId();
        g.updatedAt = now;
        if (!from.name().equals(to.name())) {
            metrics.transition(from.name(), to.name());
        }
        if (event instanceof Rejected) {
            metrics.preflightFailed();
        }

        if (to instanceof Succeeded && !(from instanceof Succeeded)) {
            OperationEntity.complete(g.id, OperationEntity.SUCCEEDED, null, null, now);
            publish(g, EventTypes.RUNNING, null, now);
        } else if (to instanceof Failed && !(from instanceof Failed)) {
            String[] why = failure(event);
            String details = null;
            if (event instanceof Rejected r && !r.details().isEmpty()) {
                r.details().forEach(d -> addEvent(g, InstanceEvent.warning(null, why[0], d.message(), now)));
                details = ContainerGroups.json(r.details());
            } else {
                addEvent(g, InstanceEvent.warning(null, why[0], why[1], now));
            }
            OperationEntity.complete(g.id, OperationEntity.FAILED, why[0], why[1], details, now);
            publish(g, EventTypes.FAILED, why[1], now);
        } else if (to instanceof Stopped && !(from instanceof Stopped)) {
            setState(g, "Stopped");
            OperationEntity.complete(g.id, OperationEntity.FAILED, "Canceled", "The group was stopped.", now);
            publish(g, EventTypes.STOPPED, null, now);
        } else if (to instanceof Deleted) {
            OperationEntity.complete(g.id, OperationEntity.SUCCEEDED, null, null, now);
            publish(g, EventTypes.DELETED, null, now);
            g.delete();
            return to;
        }
        if (to instanceof Pending && from instanceof Stopped) {
            setState(g, "Pending");
        }
        if (to.nodeId() != null && provisioning(to) && (event instanceof Placed || event instanceof UpdateRequested
                || event instanceof RestartRequested || event instanceof StartRequested)) {
            outbox.commandNode(to.nodeId(), NodeWorkloads.command(g, to.nodeId()));
        }
        if (to.nodeId() == null && (to instanceof Pending || to instanceof Repairing)) {
            tryPlace(g, now);
        }
        return g.phase();
    }

    /** Places a group that waits for a node, or notes (once) that no node has room. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void tryPlace(ContainerGroupEntity g, Instant now) {
        boolean confidential = "Confidential".equals(g.sku);
        var node = placement.place(g, confidential);
        if (node.isPresent()) {
            apply(g, new Placed(node.get()), now);
            return;
        }
        var last = ContainerGroups.read(g.instanceView, InstanceView.class).lastEvent();
        if (last == null || !"NoCapacity".equals(last.name())) {
            addEvent(g, InstanceEvent.warning(null, "NoCapacity", "No " + (confidential ? "SEV-SNP capable " : "")
                    + "node has room for " + g.requestedCpu + " CPU and " + g.requestedMemory + " GB now; the group"
                    + " waits and is retried.", now));
        }
    }

    /** Quota for a group of this size: its cores and, once, the group itself. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reserveQuota(ContainerGroupEntity g, double cores) {
        quotas.reserve(g.subscriptionId, g.location, QuotaName.groups(g.sku), 1, g.resourceId());
        quotas.reserve(g.subscriptionId, g.location, QuotaName.cores(g.sku), cores, g.resourceId());
    }

    /** Moves the cores counter by a resize of a group that holds quota. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void resizeQuota(ContainerGroupEntity g, double oldCores, double newCores) {
        if (newCores > oldCores) {
            quotas.reserve(g.subscriptionId, g.location, QuotaName.cores(g.sku), newCores - oldCores, g.resourceId());
        } else if (newCores < oldCores) {
            quotas.release(g.subscriptionId, g.location, QuotaName.cores(g.sku), oldCores - newCores, g.resourceId());
        }
    }

    private void releaseQuota(ContainerGroupEntity g, double cores) {
        quotas.release(g.subscriptionId, g.location, QuotaName.groups(g.sku), 1, g.resourceId());
        quotas.release(g.subscriptionId, g.location, QuotaName.cores(g.sku), cores, g.resourceId());
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(ContainerGroupEntity g, String type, String reason, Instant now) {
        var data = new ContainerGroupLifecycle(g.subscriptionId, g.resourceGroup, g.resourceId(), g.location, g.sku,
                g.generation, g.provisioningState().name(), g.requestedCpu, g.requestedMemory, g.hostData, reason);
        outbox.write(EventTypes.LIFECYCLE_TOPIC, g.resourceId(),
                CloudEvent.of(UUID.randomUUID().toString(), type, g.resourceId(), now, data));
    }

    static void addEvent(ContainerGroupEntity g, InstanceEvent event) {
        g.instanceView = ContainerGroups.json(ContainerGroups.read(g.instanceView, InstanceView.class)
                .withGroupEvent(event));
    }

    private static void setState(ContainerGroupEntity g, String state) {
        g.instanceView = ContainerGroups.json(ContainerGroups.read(g.instanceView, InstanceView.class)
                .withState(state));
    }

    private static boolean provisioning(GroupPhase p) {
        return p instanceof Pending || p instanceof GroupPhase.Creating || p instanceof Updating
                || p instanceof Repairing;
    }

    /** {code, message} for a failure event. */
    private static String[] failure(LifecycleEvent e) {
        if (e instanceof NodeFailed f) {
            return new String[]{"ContainerGroupFailed", f.reason()};
        }
        if (e instanceof TimedOut) {
            return new String[]{"ProvisioningTimeout", "The container group did not finish provisioning in time"
                    + " and has failed."};
        }
        if (e instanceof Rejected r) {
            return new String[]{"PolicyPreflightFailed", r.reason()};
        }
        return new String[]{"ContainerGroupFailed", "The container group failed."};
    }
}
