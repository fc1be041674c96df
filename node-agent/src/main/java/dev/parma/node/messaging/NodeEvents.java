package dev.parma.node.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parma.contracts.Json;
import dev.parma.contracts.node.NodeEvent;
import dev.parma.contracts.node.NodeHeartbeat;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Sends this node's events (keyed by group id) and heartbeats (keyed by node id). */
@ApplicationScoped
public class NodeEvents {

    private final Emitter<String> events;
    private final Emitter<String> heartbeats;

    NodeEvents(@Channel("node-events") Emitter<String> events,
            @Channel("node-heartbeats") Emitter<String> heartbeats) {
        this.events = events;
        this.heartbeats = heartbeats;
    }

    public void send(NodeEvent event) {
        send(events, event.groupId(), event);
    }

    public void send(NodeHeartbeat heartbeat) {
        send(heartbeats, heartbeat.nodeId(), heartbeat);
    }

    private static void send(Emitter<String> emitter, String key, Object value) {
        try {
            var metadata = OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build();
            emitter.send(Message.of(Json.mapper().writeValueAsString(value)).addMetadata(metadata));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("contract type did not serialize", e);
        }
    }
}
