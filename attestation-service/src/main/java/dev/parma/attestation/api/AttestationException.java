package dev.parma.attestation.api;

import dev.parma.contracts.arm.CloudError;

/** A request we refuse, with its HTTP status and a stable CloudError code from {@link AttestationErrors}. */
public final class AttestationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String target;

    public AttestationException(int status, String code, String message, String target) {
        super(message);
        this.status = status;
        this.code = code;
        this.target = target;
    }

    public static AttestationException badRequest(String code, String message, String target) {
        return new AttestationException(400, code, message, target);
    }

    public static AttestationException badRequest(String code, String message) {
        return badRequest(code, message, null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public CloudError toCloudError() {
        return CloudError.of(code, getMessage(), target);
    }
}
