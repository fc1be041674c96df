/**
 * SEV-SNP ABI (AMD 56860): the ATTESTATION_REPORT and its parts, parsed at spec offsets and composed back byte for byte.
 */
package dev.parma.snp.abi;
