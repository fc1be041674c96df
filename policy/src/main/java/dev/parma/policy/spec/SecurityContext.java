package dev.parma.policy.spec;

import java.util.List;
import java.util.Optional;

import dev.parma.policy.Require;

/**
 * The container's security context.
 *
 * @param capabilitiesAdd e.g. {@code CAP_SYS_ADMIN} (the {@code CAP_} prefix is added if missing)
 * @param allowPrivilegeEscalation false means no_new_privileges
 */
public record SecurityContext(boolean privileged, List<String> capabilitiesAdd, List<String> capabilitiesDrop,
        Optional<Long> runAsUser, Optional<Long> runAsGroup, boolean allowPrivilegeEscalation) {

    public static final SecurityContext DEFAULT = new SecurityContext(false, List.of(), List.of(), Optional.empty(),
            Optional.empty(), true);

    public SecurityContext {
        capabilitiesAdd = capabilitiesAdd.stream().map(SecurityContext::normalise).toList();
        capabilitiesDrop = capabilitiesDrop.stream().map(SecurityContext::normalise).toList();
        Require.nonNull(runAsUser, "runAsUser");
        Require.nonNull(runAsGroup, "runAsGroup");
        runAsUser.ifPresent(u -> requireId("runAsUser", u));
        runAsGroup.ifPresent(g -> requireId("runAsGroup", g));
    }

    private static String normalise(String cap) {
        Require.nonNull(cap, "capability");
        String c = cap.strip().toUpperCase(java.util.Locale.ROOT);
        return c.startsWith("CAP_") ? c : "CAP_" + c;
    }

    private static void requireId(String what, long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(what + " out of range: " + v);
        }
    }
}
