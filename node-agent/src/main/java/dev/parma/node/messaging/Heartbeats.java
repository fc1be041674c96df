package dev.parma.node.messaging;

import dev.parma.contracts.node.NodeHeartbeat;
import dev.parma.node.config.NodeConfig;
import dev.parma.node.runtime.Groups;
import dev.parma.node.vm.VmDriver;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;

/**
 * Registers the node at start-up and then keeps announcing it with its current allocation and what it runs (each
 * group at its generation), so a control plane that lost sight of the node keeps its groups instead of moving them.
 */
@ApplicationScoped
public class Heartbeats {

    private final NodeConfig config;
    private final Groups groups;
    private final NodeEvents out;
    private final VmDriver driver;
    private final String endpoint;
    private final String sealingCertificate;

    Heartbeats(NodeConfig config, Groups groups, NodeEvents out, VmDriver driver, NodeIdentity identity,
            @ConfigProperty(name = "quarkus.http.ssl-port", defaultValue = "8091") int port) {
        this.config = config;
        this.groups = groups;
        this.out = out;
        this.driver = driver;
        this.endpoint = config.advertisedUrl().orElse("https://127.0.0.1:" + port);
        this.sealingCertificate = identity.sealingCertificatePem();
    }

    /** This agent's base URL as published in heartbeats. */
    public String endpoint() {
        return endpoint;
    }

    void onStart(@Observes StartupEvent ignored) {
        beat();
    }

    @Scheduled(every = "${parma.node.heartbeat-interval:5s}")
    void beat() {
        var allocated = groups.allocated();
        var runs = groups.runs();
        out.send(new NodeHeartbeat(config.id(), driver.name(), driver.confidential(), driver.simulated(), driver.tcb(),
                config.cpu(), config.memoryInGb(), allocated[0], allocated[1], runs.size(), Instant.now(),
                endpoint(), driver.uvmMeasurement(), sealingCertificate, runs));
    }
}
