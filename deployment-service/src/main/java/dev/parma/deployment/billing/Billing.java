package dev.parma.deployment.billing;

import dev.parma.contracts.events.BillingUsage;
import dev.parma.contracts.events.CloudEvent;
import dev.parma.contracts.events.EventTypes;
import dev.parma.deployment.config.DeploymentConfig;
import dev.parma.deployment.group.ContainerGroupEntity;
import dev.parma.deployment.outbox.Outbox;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Per-second usage of the resources a group <em>requested</em>, one meter per SKU for vCPU and one for memory,
 * as ACI bills. A running group has a billing cursor ({@code billingSince}); usage from the cursor to now is
 * published through the outbox and the cursor advanced in the same transaction, at least every billing
 * interval and at every stop. The event id is derived from the group, meter and interval start, so a
 * re-published event is recognisable and never billed twice.
 */
@ApplicationScoped
public class Billing {

    /** ACI's meter names per SKU (Azure Retail Prices). */
    record Meters(String vcpu, String memory) {
    }

    private static final Map<String, Meters> METERS = Map.of(
            "Standard", new Meters("Standard vCPU Duration", "Standard Memory Duration"),
            "Confidential", new Meters("Confidential containers ACI vCPU Duration",
                    "Confidential containers ACI Memory Duration"));

    private final Outbox outbox;
    private final DeploymentConfig config;

    Billing(Outbox outbox, DeploymentConfig config) {
        this.outbox = outbox;
        this.config = config;
    }

    /** The group is allocated from now on. */
    public void start(ContainerGroupEntity group, Instant now) {
        if (group.billingSince == null) {
            group.billingSince = now.truncatedTo(ChronoUnit.MILLIS);
        }
    }

    /** Bills up to now and stops billing (stop, delete, failure, node loss). */
    public void stop(ContainerGroupEntity group, Instant now) {
        flush(group, now);
        group.billingSince = null;
    }

    /** Publishes usage from the cursor to {@code now} and moves the cursor. */
    public void flush(ContainerGroupEntity group, Instant now) {
        if (group.billingSince == null) {
            return;
        }
        Instant end = now.truncatedTo(ChronoUnit.MILLIS);
        double seconds = Duration.between(group.billingSince, end).toMillis() / 1000.0;
        if (seconds <= 0) {
            return;
        }
        var meters = METERS.get(group.sku);
        publish(group, meters.vcpu(), group.requestedCpu * seconds, "vCPU Second", end);
        publish(group, meters.memory(), group.requestedMemory * seconds, "GB Second", end);
        group.billingSince = end;
    }

    @Scheduled(every = "${parma.deployment.billing-sweep:10s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void sweep() {
        Instant now = Instant.now();
        // locked: a concurrent lifecycle change (a node lost, a node event) must not be overwritten by this flush
        List<ContainerGroupEntity> due = ContainerGroupEntity.find("billingSince <= ?1 order by id",
                now.minus(config.billingInterval())).withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .list();
        due.forEach(g -> flush(g, now));
    }

    private void publish(ContainerGroupEntity g, String meter, double quantity, String unit, Instant end) {
        String key = idempotencyKey(g.id, meter, g.billingSince);
        Map<String, String> tags = g.tagMap();
        var usage = new BillingUsage(key, g.subscriptionId, g.resourceGroup, g.resourceId(), g.location, tags,
                g.sku, meter, quantity, unit, g.billingSince, end);
        outbox.write(EventTypes.BILLING_TOPIC, g.resourceId(),
                CloudEvent.of(key, EventTypes.USAGE, g.resourceId(), end, usage));
    }

    static String idempotencyKey(String groupId, String meter, Instant start) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((groupId + "|" + meter + "|" + start).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
