package dev.parma.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * Usage of one meter by one container group over [usageStart, usageEnd), for the resources it
 * <em>requested</em> (ACI bills requests, per second). {@code idempotencyKey} is derived from the group, the
 * meter and usageStart, so re-publishing after a restart never double-bills.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BillingUsage(
        String idempotencyKey,
        String subscriptionId,
        String resourceGroup,
        String resourceId,
        String location,
        Map<String, String> tags,
        String skuName,
        String meterName,
        double quantity,
        String unitOfMeasure,
        Instant usageStart,
        Instant usageEnd) {
}
