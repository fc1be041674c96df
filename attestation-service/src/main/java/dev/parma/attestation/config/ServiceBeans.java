package dev.parma.attestation.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.identity.MasterKey;
import dev.parma.attestation.evidence.AttestRequestParser;
import dev.parma.attestation.evidence.EvidenceVerifier;
import dev.parma.attestation.evidence.TrustedRoots;
import dev.parma.attestation.evidence.UvmEndorsements;
import dev.parma.snp.abi.Product;
import dev.parma.snp.kds.CachingKdsClient;
import dev.parma.snp.kds.HttpKdsClient;
import dev.parma.snp.kds.KdsClient;
import dev.parma.snp.trust.Pem;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/** Wires the plain-Java parts (snp library, crypto) from configuration. */
public class ServiceBeans {
    private static final Logger LOG = Logger.getLogger(ServiceBeans.class);
    /** The published development master key (application.properties); never for production. */
    static final String DEVELOPMENT_MASTER_KEY = "cGFybWEtZGV2ZWxvcG1lbnQtbWFzdGVyLWtleS0wMDA=";

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    MasterKey masterKey(AttestationConfig config) {
        if (DEVELOPMENT_MASTER_KEY.equals(config.masterKey().trim())) {
            LOG.warn("parma.attestation.master-key is the published development key: keys at rest are not"
                    + " protected. Set PARMA_ATTESTATION_MASTER_KEY (32 random bytes, base64) in production.");
        }
        return MasterKey.fromBase64(config.masterKey(), "parma.attestation.master-key");
    }

    /**
     * Offline unless the deployment opts in to AMD's KDS over HTTP, then cached, rate-limited per AMD's rules and
     * bounded (single flight per VCEK, a timeout, failures remembered). Offline refuses at once: nothing to wait for.
     */
    @Produces
    @Singleton
    @DefaultBean
    KdsClient kds(AttestationConfig config) {
        return config.evidence().kdsHttp() ? CachingKdsClient.wrap(HttpKdsClient.create()) : KdsClient.offline();
    }

    @Produces
    @Singleton
    EvidenceVerifier evidenceVerifier(AttestationConfig config, KdsClient kds) {
        var sim = config.evidence().simulatorRoots().map(f -> TrustedRoots.simulatorRoots(Path.of(f))).orElse(List
                .of());
        if (!sim.isEmpty()) {
            LOG.warnf("trusting simulator roots from %s for %s: tokens for simulated evidence say"
                    + " x-parma-sevsnpvm-simulated=true", config.evidence().simulatorRoots().get(),
                    sim.stream().map(
                            r -> r.product().toString()).toList());
        }
        return new EvidenceVerifier(sim, kds, Product.valueOf(config.evidence().defaultProduct().toUpperCase(
                Locale.ROOT)));
    }

    @Produces
    @Singleton
    UvmEndorsements uvmEndorsements(AttestationConfig config, ObjectMapper json) {
        var signers = config.endorsements().trustedSigners().map(f -> {
            try {
                return Pem.certificates(Files.readString(Path.of(f)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the trusted endorsement signers " + f, e);
            }
        }).orElse(List.of());
        if (signers.isEmpty()) {
            LOG.info("no trusted UVM endorsement signer is configured: UVM endorsements in requests are not"
                    + " evaluated (compliance comes from reference values only)");
        } else {
            LOG.infof("UVM endorsements must be signed by one of %s", signers.stream().map(c -> c
                    .getSubjectX500Principal().getName()).toList());
        }
        return new UvmEndorsements(signers, json);
    }

    @Produces
    @Singleton
    AttestRequestParser requestParser(ObjectMapper json, AttestationConfig config) {
        return new AttestRequestParser(json, config.limits().maxNonceLength());
    }
}
