package dev.parma.contracts.node;

import java.util.Objects;

/** Run (or re-run, for a newer generation) a container group on the receiving node. */
public record StartGroup(String commandId, String groupId, long generation, GroupWorkload workload)
        implements
            NodeCommand {

    public StartGroup {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(workload, "workload");
    }
}
