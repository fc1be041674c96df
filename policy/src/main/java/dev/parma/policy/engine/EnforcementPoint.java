package dev.parma.policy.engine;

import java.util.Optional;

import dev.parma.policy.model.Semver;

/**
 * The enforcement-point manifest (after hcsshim's api.rego): each host-to-guest action the guest gates, the API
 * version that introduced it, and the result a policy written against an older API gets for it. Deny for points that
 * grant something (mounts, containers, fragments), allow for unmounts, signals and diagnostics.
 */
public enum EnforcementPoint {
    // @formatter:off (one point per line, as in api.rego)
    MOUNT_DEVICE("mount_device", "0.1.0", Defaults.DENY),
    MOUNT_OVERLAY("mount_overlay", "0.1.0", Defaults.DENY),
    CREATE_CONTAINER("create_container", "0.1.0", Defaults.DENY),
    UNMOUNT_DEVICE("unmount_device", "0.2.0", Defaults.ALLOW),
    EXEC_IN_CONTAINER("exec_in_container", "0.2.0", Defaults.ALLOW),
    EXEC_EXTERNAL("exec_external", "0.3.0", Defaults.ALLOW),
    SHUTDOWN_CONTAINER("shutdown_container", "0.4.0", Defaults.ALLOW),
    SIGNAL_CONTAINER_PROCESS("signal_container_process", "0.5.0", Defaults.ALLOW),
    UNMOUNT_OVERLAY("unmount_overlay", "0.6.0", Defaults.ALLOW),
    PLAN9_MOUNT("plan9_mount", "0.6.0", Defaults.ALLOW),
    PLAN9_UNMOUNT("plan9_unmount", "0.6.0", Defaults.ALLOW),
    GET_PROPERTIES("get_properties", "0.7.0", Defaults.ALLOW),
    DUMP_STACKS("dump_stacks", "0.7.0", Defaults.ALLOW),
    RUNTIME_LOGGING("runtime_logging", "0.8.0", Defaults.ALLOW),
    LOAD_FRAGMENT("load_fragment", "0.9.0", Defaults.DENY),
    SCRATCH_MOUNT("scratch_mount", "0.10.0", Defaults.ALLOW),
    SCRATCH_UNMOUNT("scratch_unmount", "0.10.0", Defaults.ALLOW),
    /** Older policies get the framework's own rule (api.rego {@code use_framework}). */
    RW_MOUNT_DEVICE("rw_mount_device", "0.11.0", Defaults.USE_FRAMEWORK),
    RW_UNMOUNT_DEVICE("rw_unmount_device", "0.11.0", Defaults.USE_FRAMEWORK),
    MOUNT_BLOCKDEV("mount_blockdev", "0.11.1", Defaults.DENY),
    UNMOUNT_BLOCKDEV("unmount_blockdev", "0.11.1", Defaults.DENY),
    LOAD_TRANSPARENCY_TRUST_LIST("load_transparency_trust_list", "0.12.0", Defaults.DENY),
    HOST_NETWORK("host_network", "0.12.0", Defaults.DENY);
    // @formatter:on

    // api.rego's Windows-only points (mount_cims, registry_changes, log_provider) are not here: a policy that binds
    // one is refused when it is read (PolicyDecoder.WINDOWS_ONLY_RULES), as this engine guards Linux guests only.

    /** The newest API version this engine implements (every point above is known to it). */
    public static final Semver ENGINE_API_VERSION = new Semver(0, 12, 0);

    /** The framework semantics implemented: 0.3.0 plus the hardening of execution-policy.md §1.8. */
    public static final Semver ENGINE_FRAMEWORK_VERSION = new Semver(0, 3, 0);

    private final String ruleName;
    private final Semver introduced;
    private final Defaults defaults;

    EnforcementPoint(String ruleName, String introduced, Defaults defaults) {
        this.ruleName = ruleName;
        this.introduced = Semver.parse(introduced);
        this.defaults = defaults;
    }

    /** The Rego rule name, e.g. {@code create_container}. */
    public String ruleName() {
        return ruleName;
    }

    public Semver introduced() {
        return introduced;
    }

    /** What a policy whose api_version predates {@link #introduced()} gets. */
    public Defaults defaults() {
        return defaults;
    }

    /** Whether API 0.10.0 (the ACI-deployed guest) had this point. */
    public boolean inApi0100() {
        return !introduced.atLeast(new Semver(0, 11, 0));
    }

    public static Optional<EnforcementPoint> byRuleName(String name) {
        for (EnforcementPoint p : values()) {
            if (p.ruleName.equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Default results from api.rego; {@code env_list} is always null (keep all) where present. */
    public enum Defaults {
        ALLOW, DENY, USE_FRAMEWORK
    }
}
