/** Secure key release: Key Vault-style release policies, sealed tenant keys, the wrapping key from the token. */
package dev.parma.attestation.release;
