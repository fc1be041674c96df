/** MAA's SevSnpVm claim set and RS256 JWTs: issuing, and strict verification for key release. */
package dev.parma.attestation.token;
