package dev.parma.deployment.denial;

import dev.parma.contracts.events.CloudEvent;
import dev.parma.contracts.events.EventTypes;
import dev.parma.contracts.events.PolicyDenial;
import dev.parma.deployment.Metrics;
import dev.parma.deployment.config.DeploymentConfig;
import dev.parma.deployment.outbox.Outbox;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * The store of policy denials: each is written once, in the transaction that records it on its group, counted, and
 * published as a CloudEvent on the lifecycle topic through the outbox. Rows outlive their groups; a purge drops the
 * ones older than {@code parma.deployment.denial-retention}.
 */
@ApplicationScoped
public class DenialLog {

    private final Outbox outbox;
    private final Metrics metrics;
    private final DeploymentConfig config;

    DenialLog(Outbox outbox, Metrics metrics, DeploymentConfig config) {
        this.outbox = outbox;
        this.metrics = metrics;
        this.config = config;
    }

    /**
     * Stores and publishes {@code denial} unless a denial with this {@code id} exists: a node event delivered again
     * carries the same id and changes nothing. The id is also the CloudEvent's, so consumers can deduplicate too.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String id, PolicyDenial denial) {
        // ON CONFLICT rather than a lookup first: two deliveries racing still store one row.
        int fresh = PolicyDenialEntity.getEntityManager().createNativeQuery("INSERT INTO policy_denials (id,"
                + " denied_at, subscription_id, resource_id, group_id, container, enforcement_point, reason, source,"
                + " node_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (id) DO NOTHING")
                .setParameter(1, id).setParameter(2, denial.time()).setParameter(3, denial.subscriptionId())
                .setParameter(4, denial.resourceId()).setParameter(5, denial.groupId())
                .setParameter(6, denial.container()).setParameter(7, denial.enforcementPoint())
                .setParameter(8, denial.reason()).setParameter(9, denial.source().wire())
                .setParameter(10, denial.nodeId()).executeUpdate();
        if (fresh == 0) {
            return;
        }
        metrics.policyDenialRecorded(denial.enforcementPoint(), denial.source().wire());
        outbox.write(EventTypes.LIFECYCLE_TOPIC, denial.resourceId(),
                CloudEvent.of(id, EventTypes.POLICY_DENIED, denial.resourceId(), denial.time(), denial));
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeOld() {
        purge(Instant.now());
    }

    /** Deletes the denials older than the retention at {@code now}; returns how many went. */
    @Transactional
    public long purge(Instant now) {
        return PolicyDenialEntity.delete("deniedAt < ?1", now.minus(config.denialRetention()));
    }
}
