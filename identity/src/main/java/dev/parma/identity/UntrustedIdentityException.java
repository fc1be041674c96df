package dev.parma.identity;

/** A certificate that does not prove a platform identity; the message says why (never includes key material). */
public final class UntrustedIdentityException extends RuntimeException {
    public UntrustedIdentityException(String message) {
        super(message);
    }
}
