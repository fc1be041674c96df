package dev.parma.deployment.node;

import dev.parma.deployment.config.DeploymentConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import dev.parma.contracts.events.CloudEvent;
import dev.parma.contracts.events.EventTypes;
import dev.parma.contracts.events.LivenessBreaker;
import dev.parma.deployment.outbox.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Whether this instance may judge nodes at all, and the breaker on how many it may declare lost at once.
 *
 * <p>
 * A node is judged only on heartbeats this instance had the chance to consume. At every check the heartbeat
 * consumer must hold partitions and have read past the end offsets seen at the previous check (lag-aware: a
 * restarted, rebalanced, paused or stalled consumer is not caught up). Judgement starts {@code grace} after it
 * caught up, so every live node gets a full window of heartbeats in front of this observer; while it is not caught
 * up, nothing is judged. Nodes' own clocks never enter this: only the consumer's offsets and this instance's time.
 */
@ApplicationScoped
public class Liveness {

    static final String CHANNEL = "node-heartbeats";
    private static final Logger LOG = Logger.getLogger(Liveness.class);
    private static final Duration ASK = Duration.ofSeconds(5);

    /**
     * The breaker's state for operators (the SRE overview): open while a mass loss is held back, since when, the
     * silent nodes it holds back, how many nodes hold groups, and how many of them may be declared lost at once.
     */
    public record Breaker(boolean open, Instant since, List<String> nodes, int fleet, int allowed,
            double maxLostShare) {
    }

    /** What one check found: caught up or not, and since when this instance has been watching. */
    record Offsets(Set<TopicPartition> assignment, Map<TopicPartition, Long> positions,
            Map<TopicPartition, Long> ends) {
    }

    private final KafkaClientService kafka;
    private final Duration grace;
    private final double maxLostShare;
    private final Counter trips;
    private final Outbox outbox;
    private Map<TopicPartition, Long> previousEnds = Map.of();
    private Instant watchingSince;
    private long checks;
    private volatile Breaker breaker;

    Liveness(KafkaClientService kafka, MeterRegistry registry, DeploymentConfig config, Outbox outbox) {
        this.kafka = kafka;
        this.outbox = outbox;
        this.grace = config.liveness().grace();
        this.maxLostShare = config.liveness().maxLostShare();
        this.trips = Counter.builder("parma.liveness.breaker.trips")
                .description("Times the control plane held back declaring a mass node loss (an operator decides)")
                .register(registry);
        this.breaker = closedBreaker();
    }

    /**
     * Checks the heartbeat consumer and returns the instant from which silence counts against a node: empty while
     * this instance has not caught up (or is still inside its grace window), so no node may be judged now.
     */
    public synchronized Optional<Instant> judgeFrom(Instant now) {
        checks++;
        Offsets o = offsets();
        boolean caughtUp = o != null && !o.assignment().isEmpty()
                && o.assignment().stream().allMatch(tp -> previousEnds.containsKey(tp)
                        && o.positions().getOrDefault(tp, -1L) >= previousEnds.get(tp));
        previousEnds = o == null ? Map.of() : o.ends();
        if (!caughtUp) {
            if (watchingSince != null) {
                LOG.warnf("heartbeat consumer is not caught up (%s): no node is judged until it is and %s passed",
                        o == null ? "no answer" : o.assignment().isEmpty() ? "no partitions" : "lagging", grace);
            }
            watchingSince = null;
            return Optional.empty();
        }
        if (watchingSince == null) {
            watchingSince = now;
            LOG.infof("heartbeat consumer caught up: nodes are judged from %s on", now.plus(grace));
        }
        Instant from = watchingSince.plus(grace);
        return now.isBefore(from) ? Optional.empty() : Optional.of(watchingSince);
    }

    /** How many of {@code fleet} nodes may be declared lost in one go: the configured share, at least one. */
    public int allowed(int fleet) {
        return Math.max(1, (int) Math.floor(maxLostShare * fleet));
    }

    /**
     * Records a held-back mass loss of the {@code silent} nodes: counted, logged and published (an SRE event on the
     * lifecycle topic) once per episode; the nodes held back are kept current for the overview.
     */
    public synchronized void tripped(List<String> silent, int fleet, Instant now) {
        var nodes = silent.stream().sorted().toList();
        if (breaker.open()) {
            breaker = new Breaker(true, breaker.since(), nodes, fleet, allowed(fleet), maxLostShare);
            return;
        }
        trips.increment();
        LOG.errorf("liveness breaker open: %d of %d nodes holding groups are silent and do not answer (%s), more than"
                + " %d at once; nothing is moved until fewer are silent or an operator releases them (POST"
                + " /admin/liveness/release) — a mass loss is more likely the observer's fault",
                nodes.size(), fleet, String.join(", ", nodes), allowed(fleet));
        breaker = new Breaker(true, now, nodes, fleet, allowed(fleet), maxLostShare);
        publish(EventTypes.LIVENESS_BREAKER_OPENED, breaker, null, now);
    }

    /** The silent nodes are few enough again (or none), or an operator released them: the breaker closes. */
    public synchronized void closed(LivenessBreaker.ClosedBy by, Instant now) {
        if (!breaker.open()) {
            return;
        }
        LOG.warnf("liveness breaker closed (%s) after holding back %s since %s", by.wire(), breaker.nodes(),
                breaker.since());
        publish(EventTypes.LIVENESS_BREAKER_CLOSED, breaker, by, now);
        breaker = closedBreaker();
    }

    private Breaker closedBreaker() {
        return new Breaker(false, null, List.of(), 0, 0, maxLostShare);
    }

    /** The breaker's change as a CloudEvent, through the outbox; a database away costs the event, not the breaker. */
    private void publish(String type, Breaker b, LivenessBreaker.ClosedBy by, Instant now) {
        var data = new LivenessBreaker(b.since(), b.nodes(), b.fleet(), b.allowed(),
                b.maxLostShare(), by);
        try {
            QuarkusTransaction.requiringNew().run(() -> outbox.write(EventTypes.LIFECYCLE_TOPIC, LivenessBreaker.KEY,
                    CloudEvent.of(UUID.randomUUID().toString(), type, LivenessBreaker.KEY, now, data)));
        } catch (RuntimeException e) {
            LOG.warnf("could not record the liveness breaker event %s: %s", type, e.getMessage());
        }
    }

    /** Since when this instance has been caught up on heartbeats; empty while it is not. */
    public synchronized Optional<Instant> watchingSince() {
        return Optional.ofNullable(watchingSince);
    }

    /** How many checks were made (each reconcile pass makes one). */
    public synchronized long checks() {
        return checks;
    }

    /** The breaker as it stands. */
    public Breaker breaker() {
        return breaker;
    }

    /** The heartbeat consumer's assignment, positions and end offsets, read on its polling thread; null if unknown. */
    private Offsets offsets() {
        KafkaConsumer<String, String> consumer;
        try {
            consumer = kafka.getConsumer(CHANNEL);
        } catch (RuntimeException e) {
            return null;
        }
        if (consumer == null) {
            return null;
        }
        try {
            return consumer.runOnPollingThread(c -> {
                var assignment = Set.copyOf(c.assignment());
                var positions = new HashMap<TopicPartition, Long>();
                for (var tp : assignment) {
                    positions.put(tp, c.position(tp, ASK));
                }
                var ends = assignment.isEmpty() ? Map.<TopicPartition, Long>of() : c.endOffsets(assignment, ASK);
                return new Offsets(assignment, positions, Map.copyOf(ends));
            }).await().atMost(ASK.plus(ASK));
        } catch (RuntimeException e) {
            LOG.debugf("cannot read the heartbeat consumer's offsets: %s", e.getMessage());
            return null;
        }
    }
}
