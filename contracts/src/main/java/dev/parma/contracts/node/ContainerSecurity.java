package dev.parma.contracts.node;

import java.util.List;

/**
 * A container's security context (ACI's {@code securityContext}): privileged, whether it may gain privileges
 * ({@code false} means no_new_privileges), capabilities added and dropped (e.g. {@code NET_ADMIN}), and the user
 * and group it runs as (null: the image's default, root here).
 */
public record ContainerSecurity(boolean privileged, boolean allowPrivilegeEscalation, List<String> capabilitiesAdd,
        List<String> capabilitiesDrop, Long runAsUser, Long runAsGroup) {

    /** What a container without a security context gets. */
    public static final ContainerSecurity DEFAULT = new ContainerSecurity(false, true, List.of(), List.of(), null,
            null);

    public ContainerSecurity {
        capabilitiesAdd = capabilitiesAdd == null ? List.of() : List.copyOf(capabilitiesAdd);
        capabilitiesDrop = capabilitiesDrop == null ? List.of() : List.copyOf(capabilitiesDrop);
    }
}
