package dev.parma.attestation.evidence;

import dev.parma.snp.verify.VerifiedReport;

/**
 * A report proven to come from an AMD secure processor (or from a simulator root the deployment explicitly trusts:
 * {@link #simulated()}), with its runtime and init-time data bindings checked.
 */
public record VerifiedEvidence(VerifiedReport verified, AttestRequest request) {

    /** The chain ended at a simulator root, not at AMD's production ARK ({@code x-parma-sevsnpvm-simulated}). */
    public boolean simulated() {
        return verified.simulated();
    }
}
