package dev.parma.snp.verify;

import dev.parma.snp.abi.AttestationReport;
import dev.parma.snp.abi.Product;
import dev.parma.snp.kds.VcekExtensions;

/**
 * A report proven to be signed by a VCEK/VLEK that chains to a pinned ARK and whose bindings hold. Whether it is the
 * report the relying party expects is for {@code dev.parma.snp.validate}.
 */
public record VerifiedReport(AttestationReport report, Product product, VcekExtensions endorsement) {
}
