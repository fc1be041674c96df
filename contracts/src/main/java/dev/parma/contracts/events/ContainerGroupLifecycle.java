package dev.parma.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A container group changed lifecycle state. No secrets: only identity, SKU, requested size and state. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerGroupLifecycle(
        String subscriptionId,
        String resourceGroup,
        String resourceId,
        String location,
        String sku,
        long generation,
        String provisioningState,
        double cpu,
        double memoryInGB,
        String hostData,
        String reason) {
}
