package dev.parma.deployment.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parma.contracts.Json;
import dev.parma.contracts.Topics;
import dev.parma.contracts.node.NodeCommand;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;

/**
 * Writes outgoing messages in the caller's transaction, so a state change and the messages it causes are
 * committed together or not at all. {@link OutboxRelay} publishes them.
 */
@ApplicationScoped
public class Outbox {

    private final OutboxRelay relay;
    private final Clock clock = Clock.systemUTC();

    Outbox(OutboxRelay relay) {
        this.relay = relay;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void commandNode(String nodeId, NodeCommand command) {
        write(Topics.nodeCommands(nodeId), command.groupId(), command);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void write(String topic, String key, Object message) {
        var row = new OutboxEntity();
        row.topic = topic;
        row.key = key;
        try {
            row.payload = Json.mapper().writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("contract type did not serialize: " + message.getClass(), e);
        }
        row.createdAt = Instant.now(clock);
        row.persist();
        relay.wakeUpAfterCommit();
    }
}
