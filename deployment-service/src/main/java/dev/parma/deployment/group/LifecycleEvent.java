package dev.parma.deployment.group;

import dev.parma.contracts.arm.CloudError.CloudErrorBody;
import java.util.List;

/** What can happen to a container group: tenant requests, node reports and the control plane's own clocks. */
public sealed interface LifecycleEvent {

    /** The scheduler found room on a node. */
    record Placed(String nodeId) implements LifecycleEvent {
    }

    /** The node reports the group's containers running (or completed). */
    record NodeRunning() implements LifecycleEvent {
    }

    /** The node could not bring the group up. */
    record NodeFailed(String reason) implements LifecycleEvent {
    }

    /** Provisioning took longer than allowed (ACI: 30 minutes). */
    record TimedOut() implements LifecycleEvent {
    }

    /** The node stopped sending heartbeats and did not answer a direct probe. */
    record NodeLost() implements LifecycleEvent {
    }

    /** A node's heartbeat says it runs the group, at its current generation, while the group waits for a node. */
    record Adopted(String nodeId) implements LifecycleEvent {
    }

    /** The node confirmed it removed the group. */
    record NodeRemoved() implements LifecycleEvent {
    }

    /** A PUT on an existing group (new generation). */
    record UpdateRequested() implements LifecycleEvent {
    }

    /** Pre-flight found the group can never run under its policy; one detail per problem. */
    record Rejected(String reason, List<CloudErrorBody> details) implements LifecycleEvent {
        public Rejected {
            details = details == null ? List.of() : List.copyOf(details);
        }
    }

    record StopRequested() implements LifecycleEvent {
    }

    record StartRequested() implements LifecycleEvent {
    }

    record RestartRequested() implements LifecycleEvent {
    }

    record DeleteRequested() implements LifecycleEvent {
    }
}
