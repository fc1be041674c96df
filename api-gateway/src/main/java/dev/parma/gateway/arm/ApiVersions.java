package dev.parma.gateway.arm;

import dev.parma.contracts.arm.CloudError;
import dev.parma.contracts.arm.ErrorCodes;
import java.util.Set;

/** The api-versions of Microsoft.ContainerInstance we serve. */
public final class ApiVersions {

    public static final Set<String> CONTAINER_INSTANCE = Set.of("2025-09-01", "2023-05-01");
    /** Parma.Operations (the SRE views) follows the newest ContainerInstance version and the one before. */
    public static final Set<String> OPERATIONS = CONTAINER_INSTANCE;

    private ApiVersions() {
    }

    /** Throws a 400 CloudError unless {@code apiVersion} is one we serve for container groups. */
    public static void require(String apiVersion) {
        require(apiVersion, "containerGroups", CONTAINER_INSTANCE);
    }

    /** Throws a 400 CloudError unless {@code apiVersion} is in {@code supported} for {@code resourceType}. */
    public static void require(String apiVersion, String resourceType, Set<String> supported) {
        if (apiVersion == null || apiVersion.isBlank()) {
            throw new ArmError(400, CloudError.of("MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all requests.", "api-version"));
        }
        if (!supported.contains(apiVersion)) {
            throw new ArmError(400, CloudError.of(ErrorCodes.INVALID_API_VERSION, "The resource type '"
                    + resourceType + "' does not support api-version '" + apiVersion + "'. Supported versions: "
                    + String.join(", ", supported.stream().sorted().toList()) + ".", "api-version"));
        }
    }
}
