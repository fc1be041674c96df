/** The HTTP API in MAA's and Key Vault's shapes; every error is a CloudError with a stable code (AttestationErrors). */
package dev.parma.attestation.api;
