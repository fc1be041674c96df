package dev.parma.snp.verify;

/**
 * The report is not proven to come from AMD hardware. {@link #reason()} lets callers branch; the message names the
 * field or certificate and the values involved.
 */
public final class VerificationException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why verification failed. */
    public enum Reason {
        MALFORMED_REPORT, MALFORMED_CERTIFICATE, UNSIGNED_REPORT, UNSUPPORTED_SIGNATURE_ALGO, KEY_TYPE_MISMATCH, UNTRUSTED_CHAIN, CERTIFICATE_EXPIRED, CERTIFICATE_NOT_YET_VALID, CERTIFICATE_REVOKED, CRL_UNAVAILABLE, PRODUCT_MISMATCH, HWID_MISMATCH, TCB_MISMATCH, BAD_SIGNATURE
    }

    private final Reason reason;

    public VerificationException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public VerificationException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
