package dev.parma.deployment.group;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parma.contracts.Json;
import dev.parma.contracts.node.GroupRemoved;
import dev.parma.contracts.node.GroupRuntimeState;
import dev.parma.contracts.node.GroupStatus;
import dev.parma.contracts.node.NodeEvent;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Applies node events to groups. Idempotent: an event id is applied once (recorded in the same transaction),
 * and events about an older generation of a group are dropped.
 */
@ApplicationScoped
public class NodeEventConsumer {

    private static final Logger LOG = Logger.getLogger(NodeEventConsumer.class);

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
        if (event instanceof GroupStatus status) {
            apply(group, status);
        } else if (event instanceof GroupRemoved removed && group.provisioningState == ProvisioningState.Deleting) {
            OperationEntity.complete(group.id, OperationEntity.SUCCEEDED, null, null, removed.occurredAt());
            group.delete();
        }
    }

    private static void apply(ContainerGroupEntity group, GroupStatus status) {
        var view = ContainerGroups.read(group.instanceView, InstanceView.class).apply(status);
        group.instanceView = ContainerGroups.json(view);
        group.updatedAt = status.occurredAt();
        boolean provisioning = group.provisioningState == ProvisioningState.Creating
                || group.provisioningState == ProvisioningState.Updating
                || group.provisioningState == ProvisioningState.Repairing;
        if (!provisioning) {
            return;
        }
        if (status.state() == GroupRuntimeState.Running || status.state() == GroupRuntimeState.Succeeded) {
            group.provisioningState = ProvisioningState.Succeeded;
            OperationEntity.complete(group.id, OperationEntity.SUCCEEDED, null, null, status.occurredAt());
        } else if (status.state() == GroupRuntimeState.Failed) {
            group.provisioningState = ProvisioningState.Failed;
            String why = status.events().isEmpty()
                    ? "The container group failed to start."
                    : status.events().get(status.events().size() - 1).message();
            OperationEntity.complete(group.id, OperationEntity.FAILED, "ContainerGroupFailed", why,
                    status.occurredAt());
        }
    }
}
