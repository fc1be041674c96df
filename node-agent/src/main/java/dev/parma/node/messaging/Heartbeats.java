package dev.parma.node.messaging;

import dev.parma.contracts.node.NodeHeartbeat;
import dev.parma.node.config.NodeConfig;
import dev.parma.node.runtime.Groups;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;

/** Registers the node at start-up and then keeps announcing it with its current allocation. */
@ApplicationScoped
public class Heartbeats {

    private final NodeConfig config;
    private final Groups groups;
    private final NodeEvents out;

    Heartbeats(NodeConfig config, Groups groups, NodeEvents out) {
        this.config = config;
        this.groups = groups;
        this.out = out;
    }

    void onStart(@Observes StartupEvent ignored) {
        beat();
    }

    @Scheduled(every = "${parma.node.heartbeat-interval:5s}")
    void beat() {
        var allocated = groups.allocated();
        out.send(new NodeHeartbeat(config.id(), config.driver(), false, false, null, config.cpu(), config.memoryInGb(),
                allocated[0], allocated[1], groups.count(), Instant.now()));
    }
}
