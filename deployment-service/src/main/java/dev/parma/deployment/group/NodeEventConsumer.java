package dev.parma.deployment.group;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parma.contracts.Json;
import dev.parma.contracts.node.GroupRemoved;
import dev.parma.contracts.node.GroupRuntimeState;
import dev.parma.contracts.node.GroupStatus;
import dev.parma.contracts.node.NodeEvent;
import dev.parma.deployment.group.LifecycleEvent.NodeFailed;
import dev.parma.deployment.group.LifecycleEvent.NodeRemoved;
import dev.parma.deployment.group.LifecycleEvent.NodeRunning;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import dev.parma.deployment.config.DeploymentConfig;
import dev.parma.deployment.db.Unavailable;
import dev.parma.deployment.outbox.Backoff;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Applies node events to groups. Idempotent: an event id is applied once (recorded in the same transaction),
 * and events from another node or about another generation of a group are dropped.
 *
 * <p>
 * An event is never lost to the database being away: while applying it fails for a transient reason (PostgreSQL
 * unreachable or restarting, the pool exhausted, a serialization failure) it is tried again after a pause that
 * doubles up to a cap, and the next event waits behind it, so order is kept. A poison event (unparseable, about an
 * unknown group, or failing for any other reason) is skipped with a log line: nothing holds the partition forever.
 * At shutdown a waiting event is left unacknowledged (the channel fails), so it is read again after the restart.
 */
@ApplicationScoped
public class NodeEventConsumer {

    private static final Logger LOG = Logger.getLogger(NodeEventConsumer.class);

    private final Lifecycle lifecycle;
    private final Denials denials;
    private final Backoff backoff;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final AtomicLong retries = new AtomicLong();

    NodeEventConsumer(Lifecycle lifecycle, Denials denials, DeploymentConfig config) {
        this.lifecycle = lifecycle;
        this.denials = denials;
        // the database away: tried again as often as the outbox relay tries it
        this.backoff = new Backoff(config.outbox().retryInitial(), config.outbox().retryMax());
    }

    @Incoming("node-events")
    @Blocking
    public void onEvent(String json) {
        NodeEvent event;
        try {
            event = Json.mapper().readValue(json, NodeEvent.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("skipping malformed node event: %s", e.getOriginalMessage());
            return;
        }
        for (int failures = 1;; failures++) {
            try {
                QuarkusTransaction.requiringNew().run(() -> apply(event));
                if (failures > 1) {
                    LOG.infof("node event %s applied after the database returned", event.eventId());
                }
                return;
            } catch (RuntimeException e) {
                if (!Unavailable.transientFailure(e)) {
                    LOG.errorf(e, "skipping node event %s (%s of group %s from node %s): it cannot be applied",
                            event.eventId(), event.getClass().getSimpleName(), event.groupId(), event.nodeId());
                    return;
                }
                retries.incrementAndGet();
                Duration pause = backoff.after(failures);
                if (failures == 1 || failures % 20 == 0) {
                    LOG.warnf("node event %s not applied, the database is unavailable (%s): trying again every %s"
                            + " at most, later events wait", event.eventId(), e.getMessage(), backoff.max());
                }
                if (stopped(pause)) {
                    throw new IllegalStateException("stopping with node event " + event.eventId()
                            + " not applied: it stays unacknowledged", e);
                }
            }
        }
    }

    /** How many times applying an event failed for a transient reason and was tried again. */
    public long retries() {
        return retries.get();
    }

    /** Waits {@code pause}; true if the service is stopping meanwhile. */
    private boolean stopped(Duration pause) {
        try {
            return stopping.await(pause.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping.countDown();
    }

    private void apply(NodeEvent event) {
        int fresh = ContainerGroupEntity.getEntityManager().createNativeQuery(
                "INSERT INTO processed_events (event_id, processed_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                .setParameter(1, event.eventId()).setParameter(2, Instant.now()).executeUpdate();
        if (fresh == 0) {
            return;
        }
        ContainerGroupEntity group = ContainerGroupEntity.findById(event.groupId(),
                jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (group == null) {
            LOG.infof("skipping node event %s from node %s: no group %s", event.eventId(), event.nodeId(),
                    event.groupId());
            return;
        }
        if (event.generation() != group.generation || !event.nodeId().equals(group.nodeId)) {
            return;
        }
        var now = Instant.now();
        try {
            if (event instanceof GroupStatus reported) {
                var status = GroupSecrets.of(group).scrub(reported);
                group.instanceView = ContainerGroups.json(
                        ContainerGroups.read(group.instanceView, InstanceView.class).apply(status));
                denials.guest(group, status);
                if (status.state() == GroupRuntimeState.Running || status.state() == GroupRuntimeState.Succeeded) {
                    lifecycle.apply(group, new NodeRunning(), now);
                } else if (status.state() == GroupRuntimeState.Failed) {
                    String why = status.events().isEmpty()
                            ? "The container group failed to start."
                            : status.events().get(status.events().size() - 1).message();
                    lifecycle.apply(group, new NodeFailed(why), now);
                }
            } else if (event instanceof GroupRemoved) {
                lifecycle.apply(group, new NodeRemoved(), now);
            }
        } catch (IllegalTransitionException e) {
            LOG.debugf("node event %s not applicable: %s", event.eventId(), e.getMessage());
        }
    }
}
