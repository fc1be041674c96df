package dev.parma.attestation.evidence;

import dev.parma.snp.verify.VerifiedReport;

/**
 * A report proven to come from an AMD secure processor (or, when {@code simulated}, from a simulator root the
 * deployment explicitly trusts), with its runtime and init-time data bindings checked.
 */
public record VerifiedEvidence(VerifiedReport verified, boolean simulated, AttestRequest request) {
}
