package dev.parma.contracts.node;

import java.util.Objects;

/**
 * Run (or re-run, for a newer generation) a container group on the receiving node. The workload travels without its
 * write-only values ({@link WorkloadSecrets#withoutSecrets}); they are in {@code sealedSecrets}, sealed to the
 * receiving node's sealing key and bound to this group and generation (null when the group has none), so neither
 * the broker's disk nor another node ever sees them.
 */
public record StartGroup(String commandId, String groupId, long generation, GroupWorkload workload,
        String sealedSecrets)
        implements
            NodeCommand {

    public StartGroup {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(workload, "workload");
    }

    /** A command whose workload has no write-only values. */
    public StartGroup(String commandId, String groupId, long generation, GroupWorkload workload) {
        this(commandId, groupId, generation, workload, null);
    }

    /**
     * What may be written to a node's disk: without the write-only values when they came sealed (the box stays, so a
     * node can open it again after a restart), else as is.
     */
    public StartGroup forDisk() {
        return sealedSecrets == null
                ? this
                : new StartGroup(commandId, groupId, generation, WorkloadSecrets.withoutSecrets(workload),
                        sealedSecrets);
    }

    /** What a sealed box for this command must be bound to: its group and generation. */
    public java.util.Map<String, String> sealBinding() {
        return java.util.Map.of("grp", groupId, "gen", Long.toString(generation));
    }
}
