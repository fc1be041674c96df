package dev.parma.contracts.node;

import java.util.List;
import java.util.Objects;

/**
 * What a node needs to run a group: the resource id (for events), the isolation, the containers, and for
 * confidential groups the execution policy (base64, as the tenant sent it) and its HOST_DATA (hex).
 */
public record GroupWorkload(
        String resourceId,
        Isolation isolation,
        String restartPolicy,
        List<ContainerWorkload> containers,
        String ccePolicy,
        String hostData) {

    public GroupWorkload {
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(isolation, "isolation");
        containers = List.copyOf(containers);
        if (containers.isEmpty()) {
            throw new IllegalArgumentException("a workload needs at least one container");
        }
    }

    /** Total requested vCPU, the unit nodes reserve capacity in. */
    public double requestedCpu() {
        return containers.stream().mapToDouble(ContainerWorkload::cpu).sum();
    }

    /** Total requested memory in GB. */
    public double requestedMemoryInGB() {
        return containers.stream().mapToDouble(ContainerWorkload::memoryInGB).sum();
    }
}
