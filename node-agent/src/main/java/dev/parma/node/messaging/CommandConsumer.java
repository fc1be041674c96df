package dev.parma.node.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parma.contracts.Json;
import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.NodeCommand;
import dev.parma.contracts.node.StartGroup;
import dev.parma.node.runtime.Groups;
import dev.parma.node.config.NodeConfig;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Message;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads this node's own command topic. A replayed command (same id) is ignored, so at-least-once delivery
 * from the control plane's outbox never starts or stops anything twice. Commands of different groups are carried
 * out in parallel (a slow delete holds up only its own group), each group's in the order they came.
 */
@ApplicationScoped
public class CommandConsumer {

    private static final Logger LOG = Logger.getLogger(CommandConsumer.class);
    private static final int REMEMBERED = 10_000;

    private final Groups groups;
    private final NodeIdentity identity;
    private final Set<String> seen = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    private final CommandLanes lanes;

    CommandConsumer(Groups groups, NodeIdentity identity, NodeConfig config) {
        this.groups = groups;
        this.identity = identity;
        this.lanes = new CommandLanes(config.commandParallelism());
    }

    @PreDestroy
    void close() {
        lanes.close();
    }

    /**
     * Hands the command to its group's lane and takes the next one at once; the record is acknowledged (its offset
     * committed, in order) only once the command was carried out, so a crash never loses one.
     */
    @Incoming("commands")
    public CompletionStage<Void> onCommand(Message<String> message) {
        NodeCommand command;
        try {
            command = Json.mapper().readValue(message.getPayload(), NodeCommand.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("dropping malformed command: %s", e.getOriginalMessage());
            return message.ack();
        }
        synchronized (seen) {
            if (!seen.add(command.commandId())) {
                return message.ack();
            }
        }
        lanes.submit(command.groupId(), () -> carryOut(command)).whenComplete((v, e) -> {
            if (e != null) {
                LOG.warnf(e, "command %s for group %s failed", command.commandId(), command.groupId());
            }
            message.ack();
        });
        return CompletableFuture.completedFuture(null);
    }

    private void carryOut(NodeCommand command) {
        LOG.debugf("command %s", command);
        if (command instanceof StartGroup start) {
            StartGroup opened;
            try {
                opened = identity.open(start);
            } catch (RuntimeException e) {
                LOG.warnf("dropping StartGroup %s for group %s: its secrets cannot be opened here (%s)",
                        start.commandId(), start.groupId(), e.getMessage());
                return;
            }
            groups.start(opened);
        } else if (command instanceof DeleteGroup delete) {
            groups.delete(delete);
        }
    }
}
