package dev.parma.node.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parma.contracts.Json;
import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.NodeCommand;
import dev.parma.contracts.node.StartGroup;
import dev.parma.node.runtime.Groups;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads this node's own command topic. A replayed command (same id) is ignored, so at-least-once delivery
 * from the control plane's outbox never starts or stops anything twice.
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

    CommandConsumer(Groups groups, NodeIdentity identity) {
        this.groups = groups;
        this.identity = identity;
    }

    @Incoming("commands")
    @Blocking
    public void onCommand(String json) {
        NodeCommand command;
        try {
            command = Json.mapper().readValue(json, NodeCommand.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("dropping malformed command: %s", e.getOriginalMessage());
            return;
        }
        synchronized (seen) {
            if (!seen.add(command.commandId())) {
                return;
            }
        }
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
