package dev.parma.contracts.node;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The node's view of a group: its runtime state, each container's state, and what happened since last time. */
public record GroupStatus(
        String eventId,
        String nodeId,
        String groupId,
        long generation,
        GroupRuntimeState state,
        List<ContainerStatus> containers,
        List<InstanceEvent> events,
        Instant occurredAt) implements NodeEvent {

    public GroupStatus {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(state, "state");
        containers = containers == null ? List.of() : List.copyOf(containers);
        events = events == null ? List.of() : List.copyOf(events);
    }
}
