package dev.parma.gateway.arm;

import dev.parma.contracts.arm.CloudError;
import dev.parma.contracts.arm.ErrorCodes;
import java.util.Set;

/** The api-versions of Microsoft.ContainerInstance we serve. */
public final class ApiVersions {

    public static final Set<String> CONTAINER_INSTANCE = Set.of("2025-09-01", "2023-05-01");

    private ApiVersions() {
    }

    /** Throws a 400 CloudError unless {@code apiVersion} is one we serve. */
    public static void require(String apiVersion) {
        if (apiVersion == null || apiVersion.isBlank()) {
            throw new ArmError(400, CloudError.of("MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all requests.", "api-version"));
        }
        if (!CONTAINER_INSTANCE.contains(apiVersion)) {
            throw new ArmError(400, CloudError.of(ErrorCodes.INVALID_API_VERSION, "The resource type"
                    + " 'containerGroups' does not support api-version '" + apiVersion + "'. Supported versions: "
                    + String.join(", ", CONTAINER_INSTANCE.stream().sorted().toList()) + ".", "api-version"));
        }
    }
}
