package dev.parma.contracts.node;

import java.time.Instant;

/**
 * A node's registration and capacity, sent periodically on the compacted heartbeat topic keyed by node id.
 * {@code driver} is the VM driver (sim, qemu-snp, none); {@code snp} says whether confidential groups may be
 * placed here, {@code simulated} whether its secure processor is the software one, and {@code tcb} its
 * reported TCB (hex of the 64-bit TCB_VERSION) or null without SNP. {@code endpoint} is the node agent's HTTP base
 * URL (container logs: {@code GET {endpoint}/groups/{groupId}/containers/{name}/logs?tail=N&timestamps=true}) and
 * {@code uvmMeasurement} the launch digest (hex) every UVM of this node starts with, or null without SNP; both are
 * null from nodes that predate them. {@code sealingCertificate} (PEM, leaf first) is the certificate the node's
 * secrets are sealed to; the control plane uses it only if it chains to the platform CA and names this node, and
 * places nothing on a node without one. {@code running} is what the node runs — each group it holds and the
 * generation it holds it at — so the control plane reconciles (keeps, re-sends or removes) instead of rescheduling;
 * null from nodes that predate it (nothing is then concluded from it).
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
        Instant sentAt,
        String endpoint,
        String uvmMeasurement,
        String sealingCertificate,
        java.util.List<Running> running) {

    /** A group the node holds, at the generation it holds it. */
    public record Running(String groupId, long generation) {
    }

    public NodeHeartbeat {
        running = running == null ? null : java.util.List.copyOf(running);
    }

    /** A heartbeat that does not say what the node runs. */
    public NodeHeartbeat(String nodeId, String driver, boolean snp, boolean simulated, String tcb, double cpuCapacity,
            double memoryInGBCapacity, double cpuAllocated, double memoryInGBAllocated, int groups, Instant sentAt,
            String endpoint, String uvmMeasurement, String sealingCertificate) {
        this(nodeId, driver, snp, simulated, tcb, cpuCapacity, memoryInGBCapacity, cpuAllocated, memoryInGBAllocated,
                groups, sentAt, endpoint, uvmMeasurement, sealingCertificate, null);
    }

    /** A heartbeat without a sealing certificate. */
    public NodeHeartbeat(String nodeId, String driver, boolean snp, boolean simulated, String tcb, double cpuCapacity,
            double memoryInGBCapacity, double cpuAllocated, double memoryInGBAllocated, int groups, Instant sentAt,
            String endpoint, String uvmMeasurement) {
        this(nodeId, driver, snp, simulated, tcb, cpuCapacity, memoryInGBCapacity, cpuAllocated, memoryInGBAllocated,
                groups, sentAt, endpoint, uvmMeasurement, null, null);
    }

    /** A heartbeat without an agent endpoint or UVM measurement (the original shape). */
    public NodeHeartbeat(String nodeId, String driver, boolean snp, boolean simulated, String tcb, double cpuCapacity,
            double memoryInGBCapacity, double cpuAllocated, double memoryInGBAllocated, int groups, Instant sentAt) {
        this(nodeId, driver, snp, simulated, tcb, cpuCapacity, memoryInGBCapacity, cpuAllocated, memoryInGBAllocated,
                groups, sentAt, null, null, null, null);
    }
}
