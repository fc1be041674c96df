package dev.parma.contracts.arm;

import java.util.List;

/** ARM's error envelope: {@code {"error": {"code", "message", "target", "details"}}}. */
public record CloudError(CloudErrorBody error) {

    public static CloudError of(String code, String message, String target) {
        return new CloudError(new CloudErrorBody(code, message, target, null));
    }

    public static CloudError of(String code, String message) {
        return of(code, message, null);
    }

    /** The error body; codes are invariant and meant for programs, messages for people. */
    public record CloudErrorBody(String code, String message, String target, List<CloudErrorBody> details) {
    }
}
