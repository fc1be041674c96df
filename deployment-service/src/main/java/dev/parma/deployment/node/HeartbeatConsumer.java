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
import jakarta.transaction.Transactional;
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
 * another node is dropped whole: secrets are sealed only to a certificate proven to be that node's.
 */
@ApplicationScoped
public class HeartbeatConsumer {

    private static final Logger LOG = Logger.getLogger(HeartbeatConsumer.class);

    private final PlatformTrust trust;
    // node id → the sealing certificate last verified for it (verification is a PKIX path check; most beats repeat)
    private final Map<String, String> verified = new ConcurrentHashMap<>();

    HeartbeatConsumer(@ConfigProperty(name = "parma.identity.dir") String identityDir) {
        this.trust = new PlatformTrust(new IdentityDir(Path.of(identityDir)).ca());
    }

    @Incoming("node-heartbeats")
    @Blocking
    @Transactional
    public void onHeartbeats(List<String> batch) {
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
                        endpoint = EXCLUDED.endpoint, sealing_certificate = EXCLUDED.sealing_certificate
                    WHERE nodes.last_seen <= EXCLUDED.last_seen
                    RETURNING (xmax = 0)""")
                    .setParameter(1, hb.nodeId()).setParameter(2, hb.driver()).setParameter(3, hb.snp())
                    .setParameter(4, hb.simulated()).setParameter(5, hb.tcb()).setParameter(6, hb.cpuCapacity())
                    .setParameter(7, hb.memoryInGBCapacity()).setParameter(8, hb.cpuAllocated())
                    .setParameter(9, hb.memoryInGBAllocated()).setParameter(10, hb.sentAt())
                    .setParameter(11, hb.endpoint()).setParameter(12, hb.sealingCertificate())
                    .getResultList();
            if (!rows.isEmpty() && Boolean.TRUE.equals(rows.get(0))) { // xmax = 0: a new row, not an update
                LOG.infof("node %s registered (driver %s, %.1f cpu, %.1f GB%s%s)", hb.nodeId(), hb.driver(),
                        hb.cpuCapacity(), hb.memoryInGBCapacity(), hb.snp() ? ", SEV-SNP" : "",
                        hb.sealingCertificate() == null ? ", no sealing certificate: nothing will be placed here" : "");
            }
        }
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
