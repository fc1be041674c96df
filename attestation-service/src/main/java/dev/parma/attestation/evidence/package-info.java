/** MAA request decoding and SEV-SNP evidence verification through the snp library (AMD roots, configured simulator roots, KDS). */
package dev.parma.attestation.evidence;
