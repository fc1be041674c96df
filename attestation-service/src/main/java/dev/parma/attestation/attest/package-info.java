/** The SevSnpVm attestation path: request, evidence, claims, compliance, policy, token. */
package dev.parma.attestation.attest;
