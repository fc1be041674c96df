/**
 * Pinned roots: AMD's ARK/ASK/ASVK for Milan, Genoa and Turin as resources, and the {@link dev.parma.snp.trust.RootStore} verifiers trust.
 */
package dev.parma.snp.trust;
