package dev.parma.contracts.arm;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** ARM's error envelope: {@code {"error": {"code", "message", "target", "details"}}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudError(CloudErrorBody error) {

    public static CloudError of(String code, String message, String target) {
        return new CloudError(new CloudErrorBody(code, message, target, null));
    }

    public static CloudError of(String code, String message) {
        return of(code, message, null);
    }

    /** The error body; codes are invariant and meant for programs, messages for people. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CloudErrorBody(String code, String message, String target, List<CloudErrorBody> details) {
    }
}
