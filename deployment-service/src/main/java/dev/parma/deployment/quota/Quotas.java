package dev.parma.deployment.quota;

import dev.parma.contracts.events.CloudEvent;
import dev.parma.contracts.events.EventTypes;
import dev.parma.contracts.events.QuotaChange;
import dev.parma.deployment.Metrics;
import dev.parma.deployment.api.ArmException;
import dev.parma.deployment.config.DeploymentConfig;
import dev.parma.deployment.outbox.Outbox;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Quota counters per subscription, region and {@link QuotaName}. A reservation is one conditional upsert that
 * only succeeds while usage + requested stays within the limit; it runs in the caller's transaction, so the
 * group and its quota commit together, and concurrent creates serialize on the counter row and never
 * overbook.
 */
@ApplicationScoped
public class Quotas {

    private final DeploymentConfig config;
    private final Outbox outbox;
    private final Metrics metrics;

    Quotas(DeploymentConfig config, Outbox outbox, Metrics metrics) {
        this.config = config;
        this.outbox = outbox;
        this.metrics = metrics;
    }

    /** One row of the usages endpoint. */
    public record Usage(QuotaName name, double currentValue, double limit) {
    }

    /** Reserves {@code amount} of {@code name}, or throws ContainerGroupQuotaReached (409). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reserve(String subscriptionId, String location, QuotaName name, double amount, String resourceId) {
        if (amount <= 0) {
            return;
        }
        double limit = limit(subscriptionId, location, name);
        List<?> updated = amount > limit
                ? List.of()
                : Panache.getEntityManager().createNativeQuery("""
                        INSERT INTO quota_usage (subscription_id, location, quota_name, usage) VALUES (?1, ?2, ?3, ?4)
                        ON CONFLICT (subscription_id, location, quota_name)
                        DO UPDATE SET usage = quota_usage.usage + EXCLUDED.usage
                        WHERE quota_usage.usage + EXCLUDED.usage <= ?5
                        RETURNING usage""").setParameter(1, subscriptionId).setParameter(2, location)
                        .setParameter(3, name.name()).setParameter(4, amount).setParameter(5, limit + 1e-9)
                        .getResultList();
        if (updated.isEmpty()) {
            double usage = usage(subscriptionId, location, name);
            publishExceeded(subscriptionId, location, name, limit, usage, amount, resourceId);
            metrics.quotaRefused(name.name());
            throw new ArmException(409, "ContainerGroupQuotaReached", String.format(Locale.ROOT,
                    "Resource type 'Microsoft.ContainerInstance/containerGroups' container group quota '%s' exceeded"
                            + " in region '%s'. Limit: '%s', Usage: '%s' Requested: '%s'.",
                    name, location, num(limit), num(usage), num(amount)), null);
        }
        double usage = ((Number) updated.get(0)).doubleValue();
        publish(EventTypes.QUOTA_RESERVED, new QuotaChange(subscriptionId, location, name.name(), limit, usage, amount,
                resourceId));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void release(String subscriptionId, String location, QuotaName name, double amount, String resourceId) {
        if (amount <= 0) {
            return;
        }
        Panache.getEntityManager().createNativeQuery("""
                UPDATE quota_usage SET usage = GREATEST(0, usage - ?4)
                WHERE subscription_id = ?1 AND location = ?2 AND quota_name = ?3""")
                .setParameter(1, subscriptionId).setParameter(2, location).setParameter(3, name.name())
                .setParameter(4, amount).executeUpdate();
        publish(EventTypes.QUOTA_RELEASED, new QuotaChange(subscriptionId, location, name.name(),
                limit(subscriptionId, location, name), usage(subscriptionId, location, name), amount, resourceId));
    }

    @Transactional
    public List<Usage> usages(String subscriptionId, String location) {
        var out = new ArrayList<Usage>();
        for (var name : QuotaName.values()) {
            out.add(new Usage(name, usage(subscriptionId, location, name), limit(subscriptionId, location, name)));
        }
        return out;
    }

    /** Admin override of one limit for one subscription and region. */
    @Transactional
    public void setLimit(String subscriptionId, String location, QuotaName name, double limit) {
        Panache.getEntityManager().createNativeQuery("""
                INSERT INTO quota_limits (subscription_id, location, quota_name, limit_value) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (subscription_id, location, quota_name) DO UPDATE SET limit_value = EXCLUDED.limit_value""")
                .setParameter(1, subscriptionId).setParameter(2, location).setParameter(3, name.name())
                .setParameter(4, limit).executeUpdate();
    }

    double limit(String subscriptionId, String location, QuotaName name) {
        List<?> rows = Panache.getEntityManager().createNativeQuery(
                """
                        SELECT limit_value FROM quota_limits WHERE subscription_id = ?1 AND location = ?2 AND quota_name = ?3""")
                .setParameter(1, subscriptionId).setParameter(2, location).setParameter(3, name.name())
                .getResultList();
        return rows.isEmpty() ? name.defaultLimit(config.quota()) : ((Number) rows.get(0)).doubleValue();
    }

    private static double usage(String subscriptionId, String location, QuotaName name) {
        List<?> rows = Panache.getEntityManager().createNativeQuery("""
                SELECT usage FROM quota_usage WHERE subscription_id = ?1 AND location = ?2 AND quota_name = ?3""")
                .setParameter(1, subscriptionId).setParameter(2, location).setParameter(3, name.name())
                .getResultList();
        return rows.isEmpty() ? 0 : ((Number) rows.get(0)).doubleValue();
    }

    private void publish(String type, QuotaChange change) {
        outbox.write(EventTypes.QUOTA_TOPIC, change.subscriptionId() + "/" + change.location(),
                CloudEvent.of(UUID.randomUUID().toString(), type, change.subscriptionId() + "/" + change.location(),
                        Instant.now(), change));
    }

    /** The refused request rolls back; the event about it must not, so it commits on its own. */
    private void publishExceeded(String sub, String location, QuotaName name, double limit, double usage,
            double requested, String resourceId) {
        QuarkusTransaction.requiringNew().run(() -> publish(EventTypes.QUOTA_EXCEEDED,
                new QuotaChange(sub, location, name.name(), limit, usage, requested, resourceId)));
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
