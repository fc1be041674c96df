package dev.parma.deployment.api;

import static dev.parma.contracts.arm.ErrorCodes.CONTAINER_GROUP_WITHOUT_CONTAINERS;
import static dev.parma.contracts.arm.ErrorCodes.DUPLICATE_CONTAINER_NAME;
import static dev.parma.contracts.arm.ErrorCodes.INVALID_CCE_POLICY;
import static dev.parma.contracts.arm.ErrorCodes.INVALID_CONTAINER_NAME;
import static dev.parma.contracts.arm.ErrorCodes.INVALID_PROPERTY_VALUE;
import static dev.parma.contracts.arm.ErrorCodes.INVALID_RESOURCE_NAME;
import static dev.parma.contracts.arm.ErrorCodes.MISSING_REQUIRED_PROPERTY;

import java.util.Base64;
import java.util.HashSet;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks a container-group body against ACI's rules and normalizes it (SKU and restart policy casing,
 * defaults). The first problem found is reported with the JSON path of the offending field.
 */
public final class ContainerGroupValidator {

    /** ACI: 1–63 lowercase alphanumerics and hyphens, not at either end. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_]{0,61}[A-Za-z0-9])?");
    static final int MAX_CONTAINERS = 60;

    private ContainerGroupValidator() {
    }

    public static void checkGroupName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ArmException.badRequest(INVALID_RESOURCE_NAME, "The container group name '" + name
                    + "' is invalid: it must be 1 to 63 lowercase letters, digits or '-', and must not start or end"
                    + " with '-'.", "name");
        }
    }

    /** Returns the body with casing normalized and defaults applied, or throws an {@link ArmException}. */
    public static ContainerGroupBody validate(ContainerGroupBody body) {
        if (body == null) {
            throw ArmException.badRequest(MISSING_REQUIRED_PROPERTY, "The request body is empty.", null);
        }
        if (body.location() == null || body.location().isBlank()) {
            throw ArmException.badRequest(MISSING_REQUIRED_PROPERTY, "The property 'location' is required.",
                    "location");
        }
        var p = body.properties();
        if (p == null) {
            throw ArmException.badRequest(MISSING_REQUIRED_PROPERTY, "The property 'properties' is required.",
                    "properties");
        }
        if (p.containers() == null || p.containers().isEmpty()) {
            throw ArmException.badRequest(CONTAINER_GROUP_WITHOUT_CONTAINERS,
                    "A container group needs at least one container in 'properties.containers'.",
                    "properties.containers");
        }
        if (p.containers().size() > MAX_CONTAINERS) {
            throw ArmException.badRequest(INVALID_PROPERTY_VALUE, "A container group holds at most " + MAX_CONTAINERS
                    + " containers; this one has " + p.containers().size() + ".", "properties.containers");
        }
        var names = new HashSet<String>();
        for (int i = 0; i < p.containers().size(); i++) {
            checkContainer(p.containers().get(i), "properties.containers[" + i + "]", names);
        }
        String sku = oneOf(p.sku() == null ? "Standard" : p.sku(), "properties.sku", "Standard", "Confidential");
        String restart = oneOf(p.restartPolicy() == null ? "Always" : p.restartPolicy(), "properties.restartPolicy",
                "Always", "OnFailure", "Never");
        String os = oneOf(p.osType() == null ? "Linux" : p.osType(), "properties.osType", "Linux", "Windows");
        if ("Confidential".equals(sku)) {
            checkCcePolicy(p.confidentialComputeProperties());
        }
        return new ContainerGroupBody(body.location().toLowerCase(Locale.ROOT).replace(" ", ""), body.tags(),
                new ContainerGroupBody.Properties(sku, p.containers(), restart, os, p.confidentialComputeProperties()));
    }

    private static void checkContainer(ContainerGroupBody.Container c, String path, HashSet<String> names) {
        if (c == null) {
            throw ArmException.badRequest(MISSING_REQUIRED_PROPERTY, "A container entry is null.", path);
        }
        if (c.name() == null || !NAME.matcher(c.name()).matches()) {
            throw ArmException.badRequest(INVALID_CONTAINER_NAME, "The container name '" + c.name()
                    + "' is invalid: it must be 1 to 63 lowercase letters, digits or '-', and must not start or end"
                    + " with '-'.", path + ".name");
        }
        if (!names.add(c.name())) {
            throw ArmException.badRequest(DUPLICATE_CONTAINER_NAME, "The container name '" + c.name()
                    + "' is used more than once.", path + ".name");
        }
        var props = c.properties();
        if (props == null || props.image() == null || props.image().isBlank()) {
            throw ArmException.badRequest(MISSING_REQUIRED_PROPERTY, "Container '" + c.name() + "' needs an image.",
                    path + ".properties.image");
        }
        var requests = props.resources() == null ? null : props.resources().requests();
        if (requests == null || requests.cpu() == null || requests.memoryInGB() == null) {
            throw ArmException.badRequest(MISSING_REQUIRED_PROPERTY, "Container '" + c.name()
                    + "' needs resources.requests with cpu and memoryInGB.", path + ".properties.resources.requests");
        }
        if (requests.cpu() <= 0 || requests.memoryInGB() <= 0) {
            throw ArmException.badRequest(INVALID_PROPERTY_VALUE, "Container '" + c.name()
                    + "' must request more than 0 cpu and memoryInGB.", path + ".properties.resources.requests");
        }
        var env = props.environmentVariables();
        if (env != null) {
            for (int i = 0; i < env.size(); i++) {
                var v = env.get(i);
                if (v == null || v.name() == null || !ENV_NAME.matcher(v.name()).matches()) {
                    throw ArmException.badRequest(INVALID_PROPERTY_VALUE, "Environment variable name '"
                            + (v == null ? null : v.name()) + "' in container '" + c.name()
                            + "' is invalid: 1 to 63 letters, digits or '_', not starting or ending with '_'.",
                            path + ".properties.environmentVariables[" + i + "].name");
                }
            }
        }
    }

    private static void checkCcePolicy(ContainerGroupBody.ConfidentialComputeProperties ccp) {
        // Our semantics (ACI is inconsistent here): a Confidential group must carry a non-empty policy.
        // An allow-all policy must be sent explicitly, so a tenant never gets one by omission.
        String target = "properties.confidentialComputeProperties.ccePolicy";
        if (ccp == null || ccp.ccePolicy() == null || ccp.ccePolicy().isBlank()) {
            throw ArmException.badRequest(INVALID_CCE_POLICY,
                    "The CCE Policy cannot be left empty for Confidential Container Groups.", target);
        }
        try {
            Base64.getDecoder().decode(ccp.ccePolicy().trim());
        } catch (IllegalArgumentException e) {
            throw ArmException.badRequest(INVALID_CCE_POLICY, "The CCE Policy is not valid base64: "
                    + e.getMessage(), target);
        }
    }

    /** ARM tolerates enum values in any case; we store the canonical spelling. */
    private static String oneOf(String value, String target, String... allowed) {
        for (String a : allowed) {
            if (a.equalsIgnoreCase(value)) {
                return a;
            }
        }
        throw ArmException.badRequest(INVALID_PROPERTY_VALUE, "The value '" + value + "' of '" + target
                + "' is not one of " + String.join(", ", allowed) + ".", target);
    }
}
