package dev.parma.policy.engine;

import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.parma.policy.model.Policies;
import dev.parma.policy.model.Policy;

/**
 * The explicitly named allow-everything policy (hcsshim's open_door.rego in spirit): every enforcement point bound to
 * {@code {"allowed": true}}. For tests and for non-confidential standard groups only — never for a confidential
 * group, whose HOST_DATA would then attest nothing.
 */
public final class OpenDoor {

    /** The policy text; stable, so its HOST_DATA is stable. */
    public static final String TEXT = text();

    private static final Policy POLICY = Policies.fromText(TEXT);

    private OpenDoor() {
    }

    public static Policy policy() {
        return POLICY;
    }

    private static String text() {
        String rules = Stream.of(EnforcementPoint.values()).map(p -> p.ruleName() + " := " + switch (p) {
            case CREATE_CONTAINER, EXEC_EXTERNAL ->
                "{\"allowed\": true, \"env_list\": null, \"allow_stdio_access\": true}";
            case EXEC_IN_CONTAINER -> "{\"allowed\": true, \"env_list\": null}";
            default -> "{\"allowed\": true}";
        }).collect(Collectors.joining("\n"));
        return "package policy\n\n# Parma open-door policy: allows everything. Tests and non-confidential groups only.\n"
                + "api_version := \"" + EnforcementPoint.ENGINE_API_VERSION + "\"\n" + "framework_version := \""
                + EnforcementPoint.ENGINE_FRAMEWORK_VERSION + "\"\n\n" + rules + "\n";
    }
}
