package dev.parma.deployment.api;

import dev.parma.contracts.arm.CloudError;

/** A request the tenant must fix (or a state conflict), answered as an ARM CloudError with this status. */
public class ArmException extends RuntimeException {

    private final int status;
    private final String code;
    private final String target;

    public ArmException(int status, String code, String message, String target) {
        super(message);
        this.status = status;
        this.code = code;
        this.target = target;
    }

    public static ArmException badRequest(String code, String message, String target) {
        return new ArmException(400, code, message, target);
    }

    public int status() {
        return status;
    }

    public CloudError toCloudError() {
        return CloudError.of(code, getMessage(), target);
    }
}
