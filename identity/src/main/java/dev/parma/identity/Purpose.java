package dev.parma.identity;

/**
 * What a leaf certificate's key may do. A node has two keys: one for mutual TLS, one that secrets are sealed to, so
 * a key that signs handshakes is never also used for key agreement.
 */
public enum Purpose {
    /** Mutual TLS, as client and server (HTTP and Kafka). */
    TLS,
    /** ECDH key agreement only: the recipient key of {@link SealedBox}. */
    SEALING
}
