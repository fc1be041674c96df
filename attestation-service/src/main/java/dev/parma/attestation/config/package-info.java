/** Configuration (parma.attestation.*) and the wiring of the plain-Java parts. */
package dev.parma.attestation.config;
