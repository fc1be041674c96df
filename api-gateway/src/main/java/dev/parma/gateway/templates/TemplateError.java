package dev.parma.gateway.templates;

import dev.parma.contracts.arm.CloudError;
import dev.parma.gateway.arm.ArmError;

/**
 * A template that cannot be deployed: 400 InvalidTemplate, naming the line and column of the offending value in
 * the request body, as ARM does ("... at line '12' and column '9' ...").
 */
public final class TemplateError extends RuntimeException {

    private final String pointer;

    public TemplateError(String pointer, String message) {
        super(message);
        this.pointer = pointer;
    }

    public String pointer() {
        return pointer;
    }

    /** The CloudError, with the location looked up in {@code json}'s positions. */
    public ArmError toArm(LocatedJson json) {
        var at = json == null ? null : json.locate(pointer);
        String where = at == null ? "" : " at line '" + at.line() + "' and column '" + at.column() + "'";
        String target = pointer == null || pointer.isEmpty() ? null : pointer;
        return new ArmError(400, CloudError.of("InvalidTemplate",
                "Deployment template validation failed: '" + getMessage() + "'" + where + ".", target));
    }
}
