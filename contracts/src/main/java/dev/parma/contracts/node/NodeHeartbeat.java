package dev.parma.contracts.node;

import java.time.Instant;

/**
 * A node's registration and capacity, sent periodically on the compacted heartbeat topic keyed by node id.
 * {@code driver} is the VM driver (sim, qemu-snp, none); {@code snp} says whether confidential groups may be
 * placed here.
 */
public record NodeHeartbeat(
        String nodeId,
        String driver,
        boolean snp,
        double cpuCapacity,
        double memoryInGBCapacity,
        double cpuAllocated,
        double memoryInGBAllocated,
        int groups,
        Instant sentAt) {
}
