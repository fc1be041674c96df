package dev.parma.attestation.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the attestation service. */
@ConfigMapping(prefix = "parma.attestation")
public interface AttestationConfig {

    /** Issuer of our tokens (iss) and base URL of the OIDC metadata and JWKS. */
    String issuer();

    /** RSA modulus size of token signing keys. */
    @WithDefault("2048")
    int signingKeyBits();
}
