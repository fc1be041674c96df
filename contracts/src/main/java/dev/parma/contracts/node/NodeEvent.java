package dev.parma.contracts.node;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/**
 * An event from a node about one group, on {@link dev.parma.contracts.Topics#NODE_EVENTS}. The event id makes
 * consumers idempotent; the generation lets them drop events about a superseded version of the group.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = GroupStatus.class, name = "GroupStatus.v1"),
        @JsonSubTypes.Type(value = GroupRemoved.class, name = "GroupRemoved.v1")
})
public sealed interface NodeEvent permits GroupStatus, GroupRemoved {

    String eventId();

    String nodeId();

    String groupId();

    long generation();

    Instant occurredAt();
}
