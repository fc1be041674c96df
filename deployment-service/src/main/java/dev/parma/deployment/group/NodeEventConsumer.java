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
import jakarta.transaction.Transactional;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Applies node events to groups. Idempotent: an event id is applied once (recorded in the same transaction),
 * and events from another node or about another generation of a group are dropped.
 */
@ApplicationScoped
public class NodeEventConsumer {

    private static final Logger LOG = Logger.getLogger(NodeEventConsumer.class);

    private final Lifecycle lifecycle;
    private final Denials denials;

    NodeEventConsumer(Lifecycle lifecycle, Denials denials) {
        this.lifecycle = lifecycle;
        this.denials = denials;
    }

    @Incoming("node-events")
    @Blocking
    @Transactional
    public void onEvent(String json) {
        NodeEvent event;
        try {
            event = Json.mapper().readValue(json, NodeEvent.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("dropping malformed node event: %s", e.getOriginalMessage());
            return;
        }
        int fresh = ContainerGroupEntity.getEntityManager().createNativeQuery(
                "INSERT INTO processed_events (event_id, processed_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                .setParameter(1, event.eventId()).setParameter(2, Instant.now()).executeUpdate();
        if (fresh == 0) {
            return;
        }
        ContainerGroupEntity group = ContainerGroupEntity.findById(event.groupId());
        if (group == null || event.generation() != group.generation || !event.nodeId().equals(group.nodeId)) {
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
