package dev.parma.contracts.node;

import java.util.Objects;

/** Stop every container of a group and release its resources on the receiving node. */
public record DeleteGroup(String commandId, String groupId, long generation) implements NodeCommand {

    public DeleteGroup {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(groupId, "groupId");
    }
}
