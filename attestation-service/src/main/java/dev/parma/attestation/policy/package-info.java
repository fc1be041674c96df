/** Attestation policies in a subset of MAA's text language: parsing, evaluation, MAA's policy hash, versioned storage. */
package dev.parma.attestation.policy;
