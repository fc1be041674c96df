package dev.parma.contracts.events;

/** CloudEvent types we publish, with their topics. The version suffix changes when a data shape breaks. */
public final class EventTypes {

    /**
     * Lifecycle of container groups, keyed by resource id. Data: {@link ContainerGroupLifecycle}, or
     * {@link PolicyDenial} for {@link #POLICY_DENIED}.
     */
    public static final String LIFECYCLE_TOPIC = "parma.lifecycle";
    public static final String CREATED = "dev.parma.containergroup.created.v1";
    public static final String RUNNING = "dev.parma.containergroup.running.v1";
    public static final String STOPPED = "dev.parma.containergroup.stopped.v1";
    public static final String FAILED = "dev.parma.containergroup.failed.v1";
    public static final String DELETED = "dev.parma.containergroup.deleted.v1";
    /** The group's execution policy refused something (pre-flight or in the guest); the event id is stable. */
    public static final String POLICY_DENIED = "dev.parma.containergroup.policydenied.v1";
    /**
     * The control plane held back declaring a mass node loss (an SRE decides), on the lifecycle topic keyed by
     * {@link LivenessBreaker#KEY}. Data: {@link LivenessBreaker}.
     */
    public static final String LIVENESS_BREAKER_OPENED = "dev.parma.platform.livenessbreaker.opened.v1";
    /** The breaker closed: the silent nodes came back, or an operator released it. Data: {@link LivenessBreaker}. */
    public static final String LIVENESS_BREAKER_CLOSED = "dev.parma.platform.livenessbreaker.closed.v1";

    /** Per-second usage of requested resources, keyed by resource id. Data: {@link BillingUsage}. */
    public static final String BILLING_TOPIC = "parma.billing.usage";
    public static final String USAGE = "dev.parma.billing.usage.v1";

    /** Quota changes per subscription and region, keyed by "subscription/location". Data: {@link QuotaChange}. */
    public static final String QUOTA_TOPIC = "parma.quota";
    public static final String QUOTA_RESERVED = "dev.parma.quota.reserved.v1";
    public static final String QUOTA_RELEASED = "dev.parma.quota.released.v1";
    public static final String QUOTA_EXCEEDED = "dev.parma.quota.exceeded.v1";

    private EventTypes() {
    }
}
