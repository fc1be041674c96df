/** Key Vault's RSA-OAEP-256 + RFC 5649 key wrap (encryption at rest is identity's MasterKey). */
package dev.parma.attestation.crypto;
