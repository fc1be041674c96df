package dev.parma.contracts.node;

import java.time.Instant;

/**
 * A node's registration and capacity, sent periodically on the compacted heartbeat topic keyed by node id.
 * {@code driver} is the VM driver (sim, qemu-snp, none); {@code snp} says whether confidential groups may be
 * placed here, {@code simulated} whether its secure processor is the software one, and {@code tcb} its
 * reported TCB (hex of the 64-bit TCB_VERSION) or null without SNP.
 */
public record NodeHeartbeat(
        String nodeId,
        String driver,
        boolean snp,
        boolean simulated,
        String tcb,
        double cpuCapacity,
        double memoryInGBCapacity,
        double cpuAllocated,
        double memoryInGBAllocated,
        int groups,
        Instant sentAt) {
}
