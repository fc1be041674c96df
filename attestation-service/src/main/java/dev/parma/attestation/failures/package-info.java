/** Recent refused attestations for operators: when, the error code, and who asked; never what was sent. */
package dev.parma.attestation.failures;
