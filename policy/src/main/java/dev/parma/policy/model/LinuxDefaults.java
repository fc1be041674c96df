package dev.parma.policy.model;

import java.util.List;

/**
 * Data the guest injects next to every policy (execution-policy.md §1.6, §1.7; hcsshim securitypolicy.go and
 * securitypolicy_linux.go): default capability sets for containers whose policy has {@code capabilities: null}, and
 * the CRI mounts every container may have.
 */
public final class LinuxDefaults {

    private LinuxDefaults() {
    }

    /** The 14 capabilities of an unprivileged container (bounding, effective, permitted). */
    public static final List<String> UNPRIVILEGED_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
            "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    /** The 41 capabilities of a privileged container (bounding, effective, inheritable, permitted). */
    public static final List<String> PRIVILEGED_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE",
            "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
            "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
            "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
            "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
            "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
            "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    public static final CapabilitySets UNPRIVILEGED = new CapabilitySets(UNPRIVILEGED_CAPABILITIES,
            UNPRIVILEGED_CAPABILITIES, List.of(), UNPRIVILEGED_CAPABILITIES, List.of());

    public static final CapabilitySets PRIVILEGED = new CapabilitySets(PRIVILEGED_CAPABILITIES,
            PRIVILEGED_CAPABILITIES, PRIVILEGED_CAPABILITIES, PRIVILEGED_CAPABILITIES, List.of());

    private static final List<String> NSN = List.of("nosuid", "noexec", "nodev");

    /** CRI default mounts, acceptable for every container. */
    public static final List<MountConstraint> DEFAULT_MOUNTS = List.of(
            new MountConstraint("/proc", "proc", "proc", NSN),
            new MountConstraint("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
            new MountConstraint("/dev/pts", "devpts", "devpts",
                    List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
            new MountConstraint("/dev/shm", "shm", "tmpfs",
                    List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
            new MountConstraint("/dev/mqueue", "mqueue", "mqueue", NSN),
            new MountConstraint("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
            new MountConstraint("/run", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
            new MountConstraint("/sys/fs/cgroup", "cgroup", "cgroup",
                    List.of("nosuid", "noexec", "nodev", "relatime", "ro")),
            new MountConstraint("/sys/fs/cgroup", "cgroup2", "cgroup2",
                    List.of("nosuid", "noexec", "nodev", "relatime", "ro")));

    /** Extra mounts acceptable only for a privileged request to a container with {@code allow_elevated}. */
    public static final List<MountConstraint> PRIVILEGED_MOUNTS = List.of(
            new MountConstraint("/sys/fs/cgroup", "cgroup", "cgroup",
                    List.of("nosuid", "noexec", "nodev", "relatime", "rw")),
            new MountConstraint("/sys/fs/cgroup", "cgroup2", "cgroup2",
                    List.of("nosuid", "noexec", "nodev", "relatime", "rw")),
            new MountConstraint("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "rw")));

    /**
     * The per-container networking bind mounts the guest adds ({@code ExtendPolicyWithNetworkingMounts}): hostname,
     * hosts and resolv.conf from the sandbox root. Expressed with the {@code sandbox://} prefix semantics is not
     * possible (they live in the sandbox root, not sandboxMounts), so the engine builds them per sandbox.
     */
    public static final List<String> NETWORKING_FILES = List.of("/etc/hostname", "/etc/hosts", "/etc/resolv.conf");
}
