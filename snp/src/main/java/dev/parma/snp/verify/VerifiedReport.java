package dev.parma.snp.verify;

import dev.parma.snp.abi.AttestationReport;
import dev.parma.snp.abi.Product;
import dev.parma.snp.kds.VcekExtensions;
import dev.parma.snp.trust.TrustRoot;

/**
 * A report proven to be signed by a VCEK/VLEK that chains to a pinned ARK and whose bindings hold. Whether it is the
 * report the relying party expects is for {@code dev.parma.snp.validate}.
 *
 * @param root the ARK the chain ended at: {@link TrustRoot.Amd} for real AMD hardware, {@link TrustRoot.Simulator}
 *        for a simulator or test root the verifier's store was explicitly given
 */
public record VerifiedReport(AttestationReport report, Product product, VcekExtensions endorsement, TrustRoot root) {

    /** True when the chain ended at a root other than AMD's production ARK. */
    public boolean simulated() {
        return root instanceof TrustRoot.Simulator;
    }
}
