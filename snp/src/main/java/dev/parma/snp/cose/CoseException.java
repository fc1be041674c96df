package dev.parma.snp.cose;

/**
 * A COSE message that is not proven: {@link #reason()} lets callers answer precisely, the message names the field,
 * certificate or value involved.
 */
public final class CoseException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a message was refused. */
    public enum Reason {
        /** Not CBOR, not a COSE_Sign1, or a header of the wrong type. */
        MALFORMED,
        /** The protected algorithm is missing or not one we verify. */
        UNSUPPORTED_ALGORITHM,
        /** No x5chain, a broken chain, or a chain that reaches no trusted signer certificate. */
        UNTRUSTED_SIGNER,
        /** A certificate of the chain is not valid at the signing (or verification) time. */
        CERTIFICATE_NOT_VALID,
        /** The signature does not verify with the signer's key. */
        BAD_SIGNATURE,
        /** The protected issuer (did:x509) does not describe the signing chain. */
        ISSUER_MISMATCH
    }

    private final Reason reason;

    public CoseException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public CoseException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** A malformed message (the common case of the codec). */
    public CoseException(String message) {
        this(Reason.MALFORMED, message);
    }

    public CoseException(String message, Throwable cause) {
        this(Reason.MALFORMED, message, cause);
    }

    public Reason reason() {
        return reason;
    }
}
