package dev.parma.deployment;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every metric of the deployment service, in one place. Prometheus names are {@code parma_<subject>_<unit|total>}.
 * Gauges over the database (groups by phase, nodes, outbox backlog) are refreshed by a sweep, never computed at
 * scrape time, so a scrape costs nothing.
 */
@Startup // gauges exist from the first scrape on
@ApplicationScoped
public class Metrics {

    static final List<String> PHASES = List.of("Pending", "Creating", "Updating", "Succeeded", "Failed", "Repairing",
            "Stopped", "Deleting");
    static final List<String> SKUS = List.of("Standard", "Confidential");

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> groups = new ConcurrentHashMap<>();
    private final AtomicLong nodesLive = new AtomicLong();
    private final AtomicLong nodesLost = new AtomicLong();
    private final AtomicLong snpNodesLive = new AtomicLong();
    private final AtomicLong outboxPending = new AtomicLong();
    private final AtomicLong cpuCapacityMilli = new AtomicLong();
    private final AtomicLong cpuReservedMilli = new AtomicLong();
    private final AtomicLong outboxOldestAgeSeconds = new AtomicLong();

    Metrics(MeterRegistry registry) {
        this.registry = registry;
        for (String phase : PHASES) {
            for (String sku : SKUS) {
                var value = new AtomicLong();
                groups.put(phase + "/" + sku, value);
                Gauge.builder("parma.container.groups", value, AtomicLong::get)
                        .description("Container groups by lifecycle phase and SKU").tags("phase", phase, "sku", sku)
                        .register(registry);
            }
        }
        Gauge.builder("parma.nodes", nodesLive, AtomicLong::get).description("Nodes by liveness")
                .tags("state", "live").register(registry);
        Gauge.builder("parma.nodes", nodesLost, AtomicLong::get).tags("state", "lost").register(registry);
        Gauge.builder("parma.snp.nodes", snpNodesLive, AtomicLong::get)
                .description("Live nodes that can run confidential groups").register(registry);
        Gauge.builder("parma.fleet.cpu.capacity", cpuCapacityMilli, v -> v.get() / 1000.0)
                .description("vCPUs offered by live nodes").register(registry);
        Gauge.builder("parma.fleet.cpu.reserved", cpuReservedMilli, v -> v.get() / 1000.0)
                .description("vCPUs requested by groups placed on nodes").register(registry);
        Gauge.builder("parma.outbox.pending", outboxPending, AtomicLong::get)
                .description("Outbox messages not yet acknowledged by Kafka").register(registry);
        Gauge.builder("parma.outbox.oldest.age.seconds", outboxOldestAgeSeconds, AtomicLong::get)
                .description("Age of the oldest unpublished outbox message").register(registry);
    }

    public void transition(String from, String to) {
        Counter.builder("parma.lifecycle.transitions").description("Lifecycle transitions of container groups")
                .tags(Tags.of("from", from, "to", to)).register(registry).increment();
    }

    public void quotaRefused(String quota) {
        Counter.builder("parma.quota.refusals").description("Creates or starts refused for quota")
                .tag("quota", quota).register(registry).increment();
    }

    public void preflightFailed() {
        Counter.builder("parma.policy.preflight.failures")
                .description("Confidential groups failed before scheduling because their policy would deny them")
                .register(registry).increment();
    }

    /**
     * A policy denial stored by the control plane, by enforcement point and source (preflight, or guest as a node
     * reported it). Named apart from the node agents' {@code parma_policy_denials_total}, which counts the same guest
     * denials where they happen: one name for both would count them twice in a sum.
     */
    public void policyDenialRecorded(String point, String source) {
        Counter.builder("parma.policy.denials.recorded")
                .description("Policy denials stored by the control plane, pre-flight and reported by nodes")
                .tags(Tags.of("point", point, "source", source)).register(registry).increment();
    }

    public void published(int messages) {
        Counter.builder("parma.outbox.published").description("Outbox messages acknowledged by Kafka")
                .register(registry).increment(messages);
    }

    @Scheduled(every = "10s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void refresh() {
        var em = Panache.getEntityManager();
        groups.values().forEach(v -> v.set(0));
        for (Object[] row : em.createQuery("select g.phase, g.sku, count(g) from ContainerGroupEntity g"
                + " group by g.phase, g.sku", Object[].class).getResultList()) {
            var value = groups.get(row[0] + "/" + row[1]);
            if (value != null) {
                value.set(((Number) row[2]).longValue());
            }
        }
        Instant liveSince = Instant.now().minusSeconds(30);
        Object[] nodes = em.createQuery("select sum(case when n.lastSeen >= :since then 1 else 0 end),"
                + " sum(case when n.lastSeen < :since then 1 else 0 end),"
                + " sum(case when n.lastSeen >= :since and n.snp = true then 1 else 0 end) from NodeEntity n",
                Object[].class).setParameter("since", liveSince).getSingleResult();
        nodesLive.set(nodes[0] == null ? 0 : ((Number) nodes[0]).longValue());
        nodesLost.set(nodes[1] == null ? 0 : ((Number) nodes[1]).longValue());
        snpNodesLive.set(nodes[2] == null ? 0 : ((Number) nodes[2]).longValue());
        Object capacity = em.createQuery("select sum(n.cpuCapacity) from NodeEntity n where n.lastSeen >= :since")
                .setParameter("since", liveSince).getSingleResult();
        cpuCapacityMilli.set(capacity == null ? 0 : Math.round(((Number) capacity).doubleValue() * 1000));
        Object reserved = em.createQuery("select sum(n.cpuReserved) from NodeEntity n").getSingleResult();
        cpuReservedMilli.set(reserved == null ? 0 : Math.round(((Number) reserved).doubleValue() * 1000));
        Object[] outbox = em.createQuery("select count(o), min(o.createdAt) from OutboxEntity o where o.sentAt is null",
                Object[].class).getSingleResult();
        outboxPending.set(((Number) outbox[0]).longValue());
        outboxOldestAgeSeconds.set(outbox[1] == null
                ? 0
                : Math.max(0, Instant.now().getEpochSecond() - ((Instant) outbox[1]).getEpochSecond()));
    }
}
