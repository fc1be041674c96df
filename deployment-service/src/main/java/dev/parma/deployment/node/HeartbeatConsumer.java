package dev.parma.deployment.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parma.contracts.Json;
import dev.parma.contracts.node.NodeHeartbeat;
import dev.parma.identity.IdentityDir;
import dev.parma.identity.Pem;
import dev.parma.identity.PlatformTrust;
import dev.parma.identity.Principal;
import dev.parma.identity.Purpose;
import dev.parma.identity.UntrustedIdentityException;
import io.quarkus.hibernate.orm.panache.Panache;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.event.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps the node inventory from heartbeats, a batch at a time in one transaction (a fleet of 1000 nodes sends 200
 * heartbeats a second). A heartbeat older than the one stored is ignored. The control plane's own reservation
 * columns are never touched here. A heartbeat whose sealing certificate does not chain to the platform CA or names
 * another node is dropped whole: secrets are sealed only to a certificate proven to be that node's. The heartbeats
 * stored are then handed on ({@link Reported}) so what each node says it runs is reconciled with the groups.
 */
@ApplicationScoped
public class HeartbeatConsumer {

    private static final Logger LOG = Logger.getLogger(HeartbeatConsumer.class);

    private final PlatformTrust trust;
    // node id → the sealing certificate last verified for it (verification is a PKIX path check; most beats repeat)
    private final Map<String, String> verified = new ConcurrentHashMap<>();

    private final Event<Reported> reports;

    HeartbeatConsumer(@ConfigProperty(name = "parma.identity.dir") String identityDir, Event<Reported> reports) {
        this.reports = reports;
        this.trust = new PlatformTrust(new IdentityDir(Path.of(identityDir)).ca());
    }

    @Incoming("node-heartbeats")
    @Blocking
    public void onHeartbeats(List<String> batch) {
        var accepted = QuarkusTransaction.requiringNew().call(() -> store(batch));
        if (accepted.isEmpty()) {
            return;
        }
        try {
            // after the inventory committed: a conflict reconciling groups must never cost the heartbeats
            QuarkusTransaction.requiringNew().run(() -> reports.fire(new Reported(accepted)));
        } catch (RuntimeException e) {
            LOG.warnf("reconciling what %d nodes run failed (retried with their next heartbeat): %s",
                    accepted.size(), e.getMessage());
        }
    }

    /** The heartbeats of a batch that were stored (each node's newest), for reconciliation of what they run. */
    public record Reported(List<NodeHeartbeat> heartbeats) {
    }

    /** Stores each node's newest heartbeat of the batch and returns those stored. */
    private List<NodeHeartbeat> store(List<String> batch) {
        var stored = new ArrayList<NodeHeartbeat>();
        var latest = new LinkedHashMap<String, NodeHeartbeat>();
        for (String json : batch) {
            try {
                var hb = Json.mapper().readValue(json, NodeHeartbeat.class);
                if (!sealingCertificateHolds(hb)) {
                    continue;
                }
                latest.merge(hb.nodeId(), hb, (a, b) -> b.sentAt().isAfter(a.sentAt()) ? b : a);
            } catch (JsonProcessingException e) {
                LOG.warnf("dropping malformed heartbeat: %s", e.getOriginalMessage());
            }
        }
        var em = Panache.getEntityManager();
        for (var hb : latest.values()) {
            List<?> rows = em.createNativeQuery("""
                    INSERT INTO nodes (id, driver, snp, simulated, tcb, cpu_capacity, memory_capacity, cpu_used,
                                       memory_used, last_seen, endpoint, sealing_certificate)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                    ON CONFLICT (id) DO UPDATE SET driver = EXCLUDED.driver, snp = EXCLUDED.snp,
                        simulated = EXCLUDED.simulated, tcb = EXCLUDED.tcb, cpu_capacity = EXCLUDED.cpu_capacity,
                        memory_capacity = EXCLUDED.memory_capacity, cpu_used = EXCLUDED.cpu_used,
                        memory_used = EXCLUDED.memory_used, last_seen = EXCLUDED.last_seen,
                        endpoint = EXCLUDED.endpoint, sealing_certificate = EXCLUDED.sealing_certificate,
                        lost_at = NULL
                    WHERE nodes.last_seen <= EXCLUDED.last_seen
                    RETURNING (xmax = 0), (SELECT o.lost_at FROM nodes o WHERE o.id = ?1)""")
                    .setParameter(1, hb.nodeId()).setParameter(2, hb.driver()).setParameter(3, hb.snp())
                    .setParameter(4, hb.simulated()).setParameter(5, hb.tcb()).setParameter(6, hb.cpuCapacity())
                    .setParameter(7, hb.memoryInGBCapacity()).setParameter(8, hb.cpuAllocated())
                    .setParameter(9, hb.memoryInGBAllocated()).setParameter(10, hb.sentAt())
                    .setParameter(11, hb.endpoint()).setParameter(12, hb.sealingCertificate())
                    .getResultList();
            if (rows.isEmpty()) {
                continue; // older than what is stored
            }
            stored.add(hb);
            var row = (Object[]) rows.get(0);
            if (row[1] != null) { // the statement's snapshot: lost_at before this heartbeat cleared it
                LOG.warnf("node %s is back after it was declared lost", hb.nodeId());
            }
            if (Boolean.TRUE.equals(row[0])) { // xmax = 0: a new row, not an update
                LOG.infof("node %s registered (driver %s, %.1f cpu, %.1f GB%s%s)", hb.nodeId(), hb.driver(),
                        hb.cpuCapacity(), hb.memoryInGBCapacity(), hb.snp() ? ", SEV-SNP" : "",
                        hb.sealingCertificate() == null ? ", no sealing certificate: nothing will be placed here" : "");
            }
        }
        return stored;
    }

    /** True without a certificate (the node is kept but not placeable) or with one that proves this node. */
    private boolean sealingCertificateHolds(NodeHeartbeat hb) {
        String pem = hb.sealingCertificate();
        if (pem == null || pem.equals(verified.get(hb.nodeId()))) {
            return true;
        }
        try {
            var principal = trust.verify(Pem.certificates(pem), Purpose.SEALING);
            if (!principal.equals(Principal.node(hb.nodeId()))) {
                throw new UntrustedIdentityException("it names " + principal.commonName());
            }
        } catch (IllegalArgumentException | UntrustedIdentityException e) {
            LOG.warnf("dropping a heartbeat for node %s: its sealing certificate is not that node's (%s)",
                    hb.nodeId(), e.getMessage());
            return false;
        }
        verified.put(hb.nodeId(), pem);
        return true;
    }
}
