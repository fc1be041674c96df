package dev.parma.contracts.node;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A command from the control plane to one node, on that node's own topic. Every command carries a unique id
 * (for idempotent handling of replays) and the group generation it was issued for (stale commands are
 * ignored).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = StartGroup.class, name = "StartGroup.v1"),
        @JsonSubTypes.Type(value = DeleteGroup.class, name = "DeleteGroup.v1")
})
public sealed interface NodeCommand permits StartGroup, DeleteGroup {

    String commandId();

    String groupId();

    long generation();
}
