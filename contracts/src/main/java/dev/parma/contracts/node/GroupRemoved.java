package dev.parma.contracts.node;

import java.time.Instant;

/** The node has stopped every container of the group and freed its resources. */
public record GroupRemoved(String eventId, String nodeId, String groupId, long generation, Instant occurredAt)
        implements
            NodeEvent {
}
