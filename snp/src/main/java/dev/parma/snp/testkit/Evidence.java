package dev.parma.snp.testkit;

import dev.parma.snp.abi.AttestationReport;
import dev.parma.snp.trust.RootStore;
import dev.parma.snp.verify.CertificateChain;
import java.time.Instant;

/**
 * A report with the chain that should verify it, the root store that trusts the simulator (plus AMD's roots) and a
 * time at which everything is valid.
 */
public record Evidence(byte[] report, CertificateChain chain, RootStore roots, Instant validAt) {

    public Evidence {
        report = report.clone();
    }

    @Override
    public byte[] report() {
        return report.clone();
    }

    /** The parsed report (throws if an override made it unparsable). */
    public AttestationReport parsed() {
        return AttestationReport.parse(report);
    }
}
