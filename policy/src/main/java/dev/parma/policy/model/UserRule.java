package dev.parma.policy.model;

import java.util.List;

import dev.parma.policy.Require;

/** Who a container process may run as: user rule, group rules (every requested group must match one), umask. */
public record UserRule(IdName user, List<IdName> groups, String umask) {

    /** What frameworks older than 0.2.1 imply: anyone, umask 0022. */
    public static final UserRule DEFAULT = new UserRule(IdName.ANY, List.of(IdName.ANY), "0022");

    public UserRule {
        Require.nonNull(user, "user");
        groups = Require.list(groups, "groups");
        Require.nonNull(umask, "umask");
    }
}
