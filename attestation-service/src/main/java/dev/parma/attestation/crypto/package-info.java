/** Encryption at rest under the master key (AES-256-GCM) and Key Vault's RSA-OAEP-256 + RFC 5649 key wrap. */
package dev.parma.attestation.crypto;
