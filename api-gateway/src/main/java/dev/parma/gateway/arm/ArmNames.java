package dev.parma.gateway.arm;

import dev.parma.contracts.arm.CloudError;
import java.util.regex.Pattern;

/**
 * ARM's rules for the names in a resource path. Every name a tenant writes into a path (and every name a template
 * produces) is checked here before it reaches a backend or the database, so none can add, drop or climb path
 * segments ({@code /}, {@code ..}, percent escapes) or break a column's width. Names are never echoed whole: a
 * refused one is {@link #shown shown} abbreviated and escaped.
 */
public final class ArmNames {

    /** Subscription ids: GUIDs in Azure; here any 1–64 letters, digits, '-' or '_' (tests use short ones). */
    private static final Pattern SUBSCRIPTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    /** ARM: 1–90 letters, digits, '_', '-', '.', '(' or ')', not ending with '.'. */
    private static final Pattern RESOURCE_GROUP = Pattern.compile("[-\\w.()\\p{L}\\p{N}]{0,89}[-\\w()\\p{L}\\p{N}]");
    /** ACI (container groups and containers): 1–63 letters, digits or '-', not at either end. */
    private static final Pattern ACI_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    /** ARM deployments: 1–64 letters, digits, '-', '.', '_', '(' or ')', not ending with '.'. */
    private static final Pattern DEPLOYMENT = Pattern.compile("[-\\w.()]{0,63}[-\\w()]");
    /** The ids we issue are UUIDs; accept their shape only. */
    private static final Pattern OPERATION_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    /** Anything else in a path: one segment, no escapes, separators or control characters. */
    private static final Pattern SEGMENT = Pattern.compile("[-\\w.()\\p{L}\\p{N}]{1,256}");

    private ArmNames() {
    }

    public static void subscription(String s) {
        check(SUBSCRIPTION, s, "InvalidSubscriptionId", "The subscription id", "subscriptionId",
                "1 to 64 letters, digits, '-' or '_'");
    }

    public static void resourceGroup(String s) {
        check(RESOURCE_GROUP, s, "InvalidResourceGroupName", "The resource group name", "resourceGroupName",
                "1 to 90 letters, digits, '_', '-', '.', '(' or ')', not ending with '.'");
    }

    /** A container group's name (any case: lookups are case-insensitive; the backend enforces lower case). */
    public static void containerGroup(String s) {
        check(ACI_NAME, s, "InvalidResourceName", "The container group name", "name",
                "1 to 63 letters, digits or '-', not starting or ending with '-'");
    }

    public static void container(String s) {
        check(ACI_NAME, s, "InvalidContainerName", "The container name", "containerName",
                "1 to 63 letters, digits or '-', not starting or ending with '-'");
    }

    public static void deployment(String s) {
        check(DEPLOYMENT, s, "InvalidDeploymentName", "The deployment name", "name",
                "1 to 64 letters, digits, '-', '.', '_', '(' or ')', not ending with '.'");
    }

    /** An operation id that is not of the shape we issue cannot exist: 404, as for one that does not. */
    public static void operation(String s) {
        if (s == null || !OPERATION_ID.matcher(s).matches()) {
            throw new ArmError(404, CloudError.of("OperationNotFound", "The operation '" + shown(s)
                    + "' was not found."));
        }
    }

    /** A path segment with no rule of its own. */
    public static void segment(String s, String target) {
        check(SEGMENT, s, "InvalidRequestUri", "The path segment '" + target + "'", target,
                "1 to 256 letters, digits, '_', '-', '.', '(' or ')'");
        if (s.equals(".") || s.equals("..")) {
            throw new ArmError(400, CloudError.of("InvalidRequestUri", "The path segment '" + target
                    + "' must not be '.' or '..'.", target));
        }
    }

    private static void check(Pattern rule, String value, String code, String what, String target, String shape) {
        if (value == null || !rule.matcher(value).matches()) {
            throw new ArmError(400, CloudError.of(code, what + " '" + shown(value) + "' is invalid: use " + shape
                    + ".", target));
        }
    }

    /**
     * {@code value} as it may appear in a message: at most 64 characters, anything but printable ASCII escaped
     * ({@code \u0000}), so an answer never carries a tenant's control characters or a megabyte of their input.
     */
    public static String shown(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        int limit = Math.min(value.length(), 64);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return value.length() > limit ? out + "… (" + value.length() + " characters)" : out.toString();
    }
}
