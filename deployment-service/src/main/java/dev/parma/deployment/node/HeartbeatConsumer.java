package dev.parma.deployment.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parma.contracts.Json;
import dev.parma.contracts.node.NodeHeartbeat;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Keeps the node inventory from heartbeats (last writer wins per node). */
@ApplicationScoped
public class HeartbeatConsumer {

    private static final Logger LOG = Logger.getLogger(HeartbeatConsumer.class);

    @Incoming("node-heartbeats")
    @Blocking
    @Transactional
    public void onHeartbeat(String json) {
        NodeHeartbeat hb;
        try {
            hb = Json.mapper().readValue(json, NodeHeartbeat.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("dropping malformed heartbeat: %s", e.getOriginalMessage());
            return;
        }
        NodeEntity node = NodeEntity.findById(hb.nodeId());
        if (node == null) {
            node = new NodeEntity();
            node.id = hb.nodeId();
            LOG.infof("node %s registered (driver %s, %.1f cpu, %.1f GB)", hb.nodeId(), hb.driver(),
                    hb.cpuCapacity(), hb.memoryInGBCapacity());
        } else if (node.lastSeen != null && hb.sentAt().isBefore(node.lastSeen)) {
            return; // an older heartbeat replayed from the topic
        }
        node.driver = hb.driver();
        node.snp = hb.snp();
        node.simulated = hb.simulated();
        node.tcb = hb.tcb();
        node.cpuUsed = hb.cpuAllocated();
        node.memoryUsed = hb.memoryInGBAllocated();
        node.cpuCapacity = hb.cpuCapacity();
        node.memoryCapacity = hb.memoryInGBCapacity();
        node.lastSeen = hb.sentAt();
        node.persist();
    }
}
