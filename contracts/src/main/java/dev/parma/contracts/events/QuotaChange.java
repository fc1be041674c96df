package dev.parma.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A quota counter moved (reserved, released) or a request was refused (exceeded). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuotaChange(
        String subscriptionId,
        String location,
        String quotaName,
        double limit,
        double usage,
        double requested,
        String resourceId) {
}
