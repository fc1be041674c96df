package dev.parma.attestation.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the attestation service. */
@ConfigMapping(prefix = "parma.attestation")
public interface AttestationConfig {

    /** Issuer of our tokens (iss) and base URL of the OIDC metadata and JWKS. */
    String issuer();

    /** Lifetime of an attestation token (exp - iat); MAA's is 8 hours. */
    @WithDefault("PT8H")
    Duration tokenLifetime();

    /**
     * Base64 of the 32-byte AES key that encrypts signing keys and released keys at rest (AES-256-GCM). Set it from a
     * secret store in production (PARMA_ATTESTATION_MASTER_KEY); with the built-in development key the service
     * starts but logs a warning, so local runs work.
     */
    String masterKey();

    /** Token signing keys. */
    SigningKeys signingKeys();

    /** Evidence verification. */
    Evidence evidence();

    /** Reference values (endorsed UVM launch measurements). */
    Reference reference();

    /** UVM endorsements (COSE_Sign1) in requests. */
    Endorsements endorsements();

    /** Abuse limits. */
    Limits limits();

    /** Token signing keys. */
    interface SigningKeys {
        /** RSA modulus size of token signing keys. */
        @WithDefault("2048")
        int bits();

        /** A new signing key is created when the active one is this old. */
        @WithDefault("P30D")
        Duration rotationInterval();

        /**
         * How long a retired key stays in the JWKS, so tokens it signed still verify; must exceed the token lifetime.
         */
        @WithDefault("P1D")
        Duration retention();
    }

    /** Evidence verification. */
    interface Evidence {
        /**
         * PEM file with simulator roots to trust in addition to AMD's (per product: ARK, ASK and optionally ASVK, in
         * any order). Absent: only real AMD hardware is trusted. Tokens for simulated evidence carry
         * {@code x-parma-sevsnpvm-simulated: true}.
         */
        Optional<String> simulatorRoots();

        /** Fetch missing VCEKs from AMD's KDS over HTTP; otherwise the VCEK must come with the request. */
        @WithDefault("false")
        boolean kdsHttp();

        /** Product assumed for v1/v2 reports without a certificate chain (no CPUID in the report). */
        @WithDefault("MILAN")
        String defaultProduct();
    }

    /** Reference values. */
    interface Reference {
        /** The fleet's simulated UVM launch measurement (96 hex digits), registered at start-up. */
        Optional<String> fleetUvmMeasurement();

        /** The SVN the fleet's UVM measurement is registered with. */
        @WithDefault("1")
        int fleetUvmSvn();

        /** Endorsements below this SVN no longer make a guest compliant. */
        @WithDefault("0")
        int minimumSvn();
    }

    /** UVM endorsements. */
    interface Endorsements {
        /**
         * PEM file with the certificates trusted to sign UVM endorsements (for ACI, Microsoft's Supply Chain RSA Root
         * CA 2022; for the simulated fleet, its UVM publisher's root). A request's endorsement must chain to one of
         * them and endorse the report's MEASUREMENT, or the request is refused; a valid one with an SVN at or above
         * {@code reference.minimum-svn} makes the guest compliant. Absent: endorsements are not evaluated.
         */
        Optional<String> trustedSigners();
    }

    /** Abuse limits. */
    interface Limits {
        /** Largest request body we read, in bytes (an MAA request with a full chain is about 12 KiB). */
        @WithDefault("262144")
        int maxRequestBytes();

        /** Sustained requests per second per caller (client address). */
        @WithDefault("200")
        double requestsPerSecond();

        /** Burst a caller may send above the sustained rate. */
        @WithDefault("400")
        int burst();

        /** Longest nonce we echo, in characters. */
        @WithDefault("1024")
        int maxNonceLength();
    }
}
