/** Token signing keys (PostgreSQL, sealed, rotated with overlap) and OIDC discovery with the JWKS. */
package dev.parma.attestation.oidc;
