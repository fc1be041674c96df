/** Abuse limits: request size and a per-caller token-bucket rate limit, answered with CloudErrors. */
package dev.parma.attestation.abuse;
