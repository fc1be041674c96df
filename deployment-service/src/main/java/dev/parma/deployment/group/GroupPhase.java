package dev.parma.deployment.group;

import dev.parma.deployment.group.LifecycleEvent.Adopted;
import dev.parma.deployment.group.LifecycleEvent.DeleteRequested;
import dev.parma.deployment.group.LifecycleEvent.NodeFailed;
import dev.parma.deployment.group.LifecycleEvent.NodeLost;
import dev.parma.deployment.group.LifecycleEvent.NodeRemoved;
import dev.parma.deployment.group.LifecycleEvent.NodeRunning;
import dev.parma.deployment.group.LifecycleEvent.Placed;
import dev.parma.deployment.group.LifecycleEvent.Rejected;
import dev.parma.deployment.group.LifecycleEvent.RestartRequested;
import dev.parma.deployment.group.LifecycleEvent.StartRequested;
import dev.parma.deployment.group.LifecycleEvent.StopRequested;
import dev.parma.deployment.group.LifecycleEvent.TimedOut;
import dev.parma.deployment.group.LifecycleEvent.UpdateRequested;

/**
 * The lifecycle of a container group as a sealed family of states. Each state accepts only its legal events in
 * {@link #on(LifecycleEvent)} and throws {@link IllegalTransitionException} for the rest, so no code path can
 * move a group somewhere it cannot go. A state knows its ARM provisioningState, its node, and whether it
 * holds quota and is billed.
 *
 * <pre>
 * Pending --Placed--> Creating --NodeRunning--> Succeeded
 *    |                  |  \--NodeFailed/TimedOut--> Failed
 *    |                  \--NodeLost--> Repairing --Placed--> Repairing(node) --NodeRunning--> Succeeded
 *                                           \--Adopted(node): the node still runs it--> Succeeded(node)
 * Succeeded --UpdateRequested/RestartRequested--> Updating --NodeRunning--> Succeeded
 * any but Deleting --StopRequested--> Stopped --StartRequested--> Pending
 * any --DeleteRequested--> Deleting(node) --NodeRemoved--> Deleted, or Deleted at once without a node
 * </pre>
 */
public sealed interface GroupPhase {

    /** Stable name stored in the database. */
    String name();

    ProvisioningState provisioningState();

    /** The node the group is (being) placed on, or null. */
    default String nodeId() {
        return null;
    }

    /** Whether the group counts against quota: everything but Stopped and the deletion states. */
    default boolean holdsQuota() {
        return true;
    }

    GroupPhase on(LifecycleEvent event);

    /** Rebuilds a state from what is stored. */
    static GroupPhase of(String name, String nodeId) {
        return switch (name) {
            case "Pending" -> new Pending();
            case "Creating" -> new Creating(nodeId);
            case "Updating" -> new Updating(nodeId);
            case "Repairing" -> new Repairing(nodeId);
            case "Succeeded" -> new Succeeded(nodeId);
            case "Failed" -> new Failed(nodeId);
            case "Stopped" -> new Stopped();
            case "Deleting" -> new Deleting(nodeId);
            case "Deleted" -> new Deleted();
            default -> throw new IllegalArgumentException("unknown phase " + name);
        };
    }

    private static IllegalTransitionException illegal(GroupPhase self, LifecycleEvent e) {
        return new IllegalTransitionException(self, e);
    }

    /** Events every live state handles the same way. */
    private static GroupPhase common(GroupPhase self, LifecycleEvent e) {
        if (e instanceof StopRequested) {
            return new Stopped();
        }
        if (e instanceof DeleteRequested) {
            return self.nodeId() == null ? new Deleted() : new Deleting(self.nodeId());
        }
        if (e instanceof Rejected) {
            return new Failed(null); // a rejected generation must not keep running anywhere
        }
        throw illegal(self, e);
    }

    /** Waiting for a node with room (new, started again, or no capacity yet). */
    record Pending() implements GroupPhase {
        public String name() {
            return "Pending";
        }

        public ProvisioningState provisioningState() {
            return ProvisioningState.Pending;
        }

        public GroupPhase on(LifecycleEvent e) {
            if (e instanceof Placed p) {
                return new Creating(p.nodeId());
            }
            if (e instanceof TimedOut) {
                return new Failed(null);
            }
            if (e instanceof UpdateRequested) {
                return this;
            }
            return common(this, e);
        }
    }

    /** Placed; the node is starting the group for the first time. */
    record Creating(String nodeId) implements GroupPhase {
        public String name() {
            return "Creating";
        }

        public ProvisioningState provisioningState() {
            return ProvisioningState.Creating;
        }

        public GroupPhase on(LifecycleEvent e) {
            return starting(this, e);
        }
    }

    /** Placed; the node is applying a new generation (update or restart). */
    record Updating(String nodeId) implements GroupPhase {
        public String name() {
            return "Updating";
        }

        public ProvisioningState provisioningState() {
            return ProvisioningState.Updating;
        }

        public GroupPhase on(LifecycleEvent e) {
            return starting(this, e);
        }
    }

    /** The node was lost; the group is being moved (nodeId null until it is placed again). */
    record Repairing(String nodeId) implements GroupPhase {
        public String name() {
            return "Repairing";
        }

        public ProvisioningState provisioningState() {
            return ProvisioningState.Repairing;
        }

        public GroupPhase on(LifecycleEvent e) {
            if (e instanceof Placed p && nodeId == null) {
                return new Repairing(p.nodeId());
            }
            if (e instanceof Adopted a && nodeId == null) {
                return new Succeeded(a.nodeId());
            }
            if (nodeId == null && (e instanceof UpdateRequested || e instanceof NodeLost)) {
                return this;
            }
            if (nodeId == null && e instanceof TimedOut) {
                return new Failed(null);
            }
            return nodeId == null ? common(this, e) : starting(this, e);
        }
    }

    /** Provisioned: the node runs the group (its containers may since have exited). */
    record Succeeded(String nodeId) implements GroupPhase {
        public String name() {
            return "Succeeded";
        }

        public ProvisioningState provisioningState() {
            return ProvisioningState.Succeeded;
        }

        public GroupPhase on(LifecycleEvent e) {
            if (e instanceof NodeRunning || e instanceof NodeFailed) {
                return this; // runtime changes after provisioning do not change provisioningState
            }
            if (e instanceof UpdateRequested || e instanceof RestartRequested) {
                return new Updating(nodeId);
            }
            if (e instanceof NodeLost) {
                return new Repairing(null);
            }
            return common(this, e);
        }
    }

    /** Provisioning failed; like ACI, the group stays until the tenant updates, starts, stops or deletes it. */
    record Failed(String nodeId) implements GroupPhase {
        public String name() {
            return "Failed";
        }

        public ProvisioningState provisioningState() {
            return ProvisioningState.Failed;
        }

        public GroupPhase on(LifecycleEvent e) {
            if (e instanceof UpdateRequested || e instanceof RestartRequested || e instanceof StartRequested) {
                return nodeId == null ? new Pending() : new Updating(nodeId);
            }
            if (e instanceof NodeRunning || e instanceof NodeFailed || e instanceof TimedOut) {
                return this;
            }
            if (e instanceof NodeLost) {
                return new Failed(null);
            }
            return common(this, e);
        }
    }

    /** Stopped by the tenant: deallocated, no quota held, no billing; instanceView state Stopped. */
    record Stopped() implements GroupPhase {
        public String name() {
            return "Stopped";
        }

        public ProvisioningState provisioningState() {
            return ProvisioningState.Succeeded;
        }

        public boolean holdsQuota() {
            return false;
        }

        public GroupPhase on(LifecycleEvent e) {
            if (e instanceof StartRequested || e instanceof UpdateRequested) {
                return new Pending();
            }
            if (e instanceof DeleteRequested) {
                return new Deleted();
            }
            if (e instanceof StopRequested) {
                return this;
            }
            throw illegal(this, e);
        }
    }

    /** Waiting for the node to confirm it removed the group. */
    record Deleting(String nodeId) implements GroupPhase {
        public String name() {
            return "Deleting";
        }

        public ProvisioningState provisioningState() {
            return ProvisioningState.Deleting;
        }

        public boolean holdsQuota() {
            return false;
        }

        public GroupPhase on(LifecycleEvent e) {
            if (e instanceof NodeRemoved || e instanceof NodeLost) {
                return new Deleted();
            }
            if (e instanceof DeleteRequested || e instanceof NodeRunning || e instanceof NodeFailed) {
                return this;
            }
            throw illegal(this, e);
        }
    }

    /** Gone: the row is removed. */
    record Deleted() implements GroupPhase {
        public String name() {
            return "Deleted";
        }

        public ProvisioningState provisioningState() {
            return ProvisioningState.Succeeded;
        }

        public boolean holdsQuota() {
            return false;
        }

        public GroupPhase on(LifecycleEvent e) {
            throw illegal(this, e);
        }
    }

    private static GroupPhase starting(GroupPhase self, LifecycleEvent e) {
        if (e instanceof NodeRunning) {
            return new Succeeded(self.nodeId());
        }
        if (e instanceof NodeFailed || e instanceof TimedOut) {
            return new Failed(self.nodeId());
        }
        if (e instanceof NodeLost) {
            return new Repairing(null);
        }
        if (e instanceof UpdateRequested || e instanceof RestartRequested) {
            return new Updating(self.nodeId());
        }
        return common(self, e);
    }
}
