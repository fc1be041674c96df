package dev.parma.policy.model;

import java.util.List;

import dev.parma.policy.Require;

/**
 * A mount a container may request. {@code source} may start with {@code sandbox://} or {@code hugepages://} (then the
 * rest is an anchored RE2 under the sandbox/hugepages dir) or be exactly {@code plan9://} (a plan9 share mounted for
 * this container); otherwise it must match exactly.
 */
public record MountConstraint(String destination, String source, String type, List<String> options) {

    public static final String SANDBOX_PREFIX = "sandbox://";
    public static final String HUGEPAGES_PREFIX = "hugepages://";
    public static final String PLAN9_PREFIX = "plan9://";

    public MountConstraint {
        Require.nonNull(destination, "destination");
        Require.nonNull(source, "source");
        Require.nonNull(type, "type");
        options = Require.list(options, "options");
    }
}
