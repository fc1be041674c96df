package dev.parma.policy.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.parma.policy.model.CapabilitySets;
import dev.parma.policy.model.Container;
import dev.parma.policy.model.ExecProcess;
import dev.parma.policy.model.ExternalProcess;
import dev.parma.policy.model.FragmentRef;
import dev.parma.policy.model.Policy;
import dev.parma.policy.model.Semver;

/**
 * Native implementation of {@code data.framework}: framework 0.3.0 rules plus the §1.8 hardening (anchored RE2,
 * mount-target regexes, rw devices, blockdev and device-node denial). Pure: reads a {@link Metadata} snapshot and
 * returns an {@link Outcome} with the ops to apply.
 */
final class Framework {

    static final String CONTAINER_ROOT = "/run/gcs/c";
    static final String PLAN9_MOUNT_PATH = "/mounts/m[0-9]+";
    static final String SCSI_MOUNT_REGEX = "/run/mounts/scsi/m[0-9]+";
    static final String RW_MOUNT_REGEX = "/run/gcs/c/[0-9a-fA-F]{64}";
    private static final Set<String> RW_FILESYSTEMS = Set.of("ext4", "xfs");

    private final Policy policy;
    private final Set<String> policyLayers = new HashSet<>();
    private final Map<List<String>, List<Container>> byLayers = new HashMap<>();
    private final boolean capabilityDropping;
    /**
     * Whether the policy's framework_version is known and not ahead of ours. Only then does it have container,
     * external-process and fragment candidates (hcsshim's candidate_* rules compare the version and are empty when it
     * is missing or newer): we cannot know what a newer framework's fields mean, so nothing of such a policy runs.
     */
    private final boolean supportedVersion;

    Framework(Policy policy) {
        this.policy = policy;
        this.supportedVersion = policy.frameworkVersion()
                .filter(v -> v.compareTo(EnforcementPoint.ENGINE_FRAMEWORK_VERSION) <= 0).isPresent();
        for (Container c : policy.containers()) {
            // deviceHash_ok reads the policy's layers directly, not the candidates: layers still mount.
            policyLayers.addAll(c.layers());
            if (supportedVersion) {
                byLayers.computeIfAbsent(c.layers(), k -> new ArrayList<>()).add(c);
            }
        }
        // allow_capability_dropping is only honoured for policies of framework 0.2.2 and later.
        this.capabilityDropping = policy.flags().allowCapabilityDropping()
                && policy.frameworkVersion().map(v -> v.atLeast(new Semver(0, 2, 2))).orElse(false);
    }

    Outcome evaluate(Request r, Metadata m) {
        if (r instanceof Request.MountDevice x) {
            return mountDevice(x, m);
        } else if (r instanceof Request.UnmountDevice x) {
            return m.devices().containsKey(x.unmountTarget())
                    ? Outcome.allow(List.of(change("devices remove " + x.unmountTarget(),
                            s -> s.removeDevice(x.unmountTarget()))))
                    : Outcome.deny("no device at path to unmount");
        } else if (r instanceof Request.RwMountDevice x) {
            return rwMountDevice(x, m);
        } else if (r instanceof Request.RwUnmountDevice x) {
            if (m.rwDevices().contains(x.unmountTarget())) {
                return Outcome.allow(List.of(change("rw_devices remove " + x.unmountTarget(),
                        s -> s.removeRwDevice(x.unmountTarget()))));
            }
            return Outcome.deny(m.devices().containsKey(x.unmountTarget())
                    ? "received read-write unmount request, but device provided is read-only"
                    : "no device at path to unmount");
        } else if (r instanceof Request.MountBlockdev || r instanceof Request.UnmountBlockdev) {
            return Outcome.deny("blockdev mounts are not supported");
        } else if (r instanceof Request.MountOverlay x) {
            return mountOverlay(x, m);
        } else if (r instanceof Request.UnmountOverlay x) {
            return m.overlayTargets().contains(x.unmountTarget())
                    ? Outcome.allow(List.of(change("overlayTargets remove " + x.unmountTarget(),
                            s -> s.removeOverlayTarget(x.unmountTarget()))))
                    : Outcome.deny("no overlay at path to unmount");
        } else if (r instanceof Request.CreateContainer x) {
            return CreateContainerRule.evaluate(x, m, policy.flags().allowEnvironmentVariableDropping(),
                    capabilityDropping);
        } else if (r instanceof Request.ExecInContainer x) {
            return CreateContainerRule.exec(x, m, policy.flags().allowEnvironmentVariableDropping(),
                    capabilityDropping);
        } else if (r instanceof Request.ExecExternal x) {
            return execExternal(x, m);
        } else if (r instanceof Request.ShutdownContainer x) {
            return m.started().containsKey(x.containerID()) && m.matches().containsKey(x.containerID())
                    ? Outcome.allow(List.of(change("matches remove " + x.containerID(),
                            s -> s.removeMatches(x.containerID()))))
                    : Outcome.deny("container not started");
        } else if (r instanceof Request.SignalContainerProcess x) {
            return signal(x, m);
        } else if (r instanceof Request.Plan9Mount x) {
            return plan9Mount(x, m);
        } else if (r instanceof Request.Plan9Unmount x) {
            return m.p9mounts().containsKey(x.unmountTarget())
                    ? Outcome.allow(List.of(change("p9mounts remove " + x.unmountTarget(),
                            s -> s.removeP9(x.unmountTarget()))))
                    : Outcome.deny("no device at path to unmount");
        } else if (r instanceof Request.ScratchMount x) {
            return scratchMount(x, m);
        } else if (r instanceof Request.ScratchUnmount x) {
            return m.scratchMounts().containsKey(x.unmountTarget())
                    ? Outcome.allow(List.of(change("scratch_mounts remove " + x.unmountTarget(),
                            s -> s.removeScratch(x.unmountTarget()))))
                    : Outcome.deny("no scratch at path to unmount");
        } else if (r instanceof Request.GetProperties) {
            return flag(policy.flags().allowPropertiesAccess(), "getting container properties is not allowed");
        } else if (r instanceof Request.DumpStacks) {
            return flag(policy.flags().allowDumpStacks(), "dumping stacks is not allowed");
        } else if (r instanceof Request.RuntimeLogging) {
            return flag(policy.flags().allowRuntimeLogging(), "runtime logging is not allowed");
        } else if (r instanceof Request.HostNetwork) {
            return flag(policy.flags().allowHostNetwork(), "host networking is not allowed");
        } else if (r instanceof Request.LoadFragment x) {
            return FragmentRule.evaluate(x, candidateFragments(m));
        } else if (r instanceof Request.LoadTransparencyTrustList x) {
            return TransparencyTrustListRule.evaluate(x, policy);
        }
        throw new IllegalArgumentException("unknown request type " + r.getClass().getName());
    }

    private static Outcome flag(boolean on, String error) {
        return on ? Outcome.allow(List.of()) : Outcome.deny(error);
    }

    private Outcome mountDevice(Request.MountDevice x, Metadata m) {
        List<String> errors = new ArrayList<>(3);
        if (!layerKnown(x.deviceHash(), m)) {
            errors.add("deviceHash not found");
        }
        if (m.devices().containsKey(x.target()) || m.rwDevices().contains(x.target())) {
            errors.add("device already mounted at path");
        }
        if (!Patterns.fullMatch(SCSI_MOUNT_REGEX, x.target())) {
            errors.add("mountpoint invalid");
        }
        if (!errors.isEmpty()) {
            return Outcome.deny(errors);
        }
        return Outcome
                .allow(List.of(change("devices add " + x.target(), s -> s.addDevice(x.target(), x.deviceHash()))));
    }

    private boolean layerKnown(String hash, Metadata m) {
        if (policyLayers.contains(hash)) {
            return true;
        }
        for (Metadata.LoadedFragment f : m.issuers()) {
            for (Container c : f.containers()) {
                if (c.layers().contains(hash)) {
                    return true;
                }
            }
        }
        return false;
    }

    private Outcome rwMountDevice(Request.RwMountDevice x, Metadata m) {
        List<String> errors = new ArrayList<>();
        if (m.devices().containsKey(x.target()) || m.rwDevices().contains(x.target())) {
            errors.add("device already mounted at path");
        }
        if (!x.encrypted() && !policy.flags().allowUnencryptedScratch()) {
            errors.add("unencrypted scratch not allowed, non-readonly mount request for SCSI disk must request "
                    + "encryption");
        }
        if (!x.ensureFilesystem()) {
            errors.add("ensureFilesystem must be set on rw device mounts");
        }
        if (!RW_FILESYSTEMS.contains(x.filesystem())) {
            errors.add("rw device mounts uses a filesystem that is not allowed");
        }
        if (!Patterns.fullMatch(RW_MOUNT_REGEX, x.target())) {
            errors.add("mountpoint invalid");
        }
        if (!errors.isEmpty()) {
            return Outcome.deny(errors);
        }
        return Outcome.allow(List.of(change("rw_devices add " + x.target(), s -> s.addRwDevice(x.target()))));
    }

    private Outcome mountOverlay(Request.MountOverlay x, Metadata m) {
        if (m.matches().containsKey(x.containerID())) {
            return Outcome.deny("overlay has already been mounted");
        }
        int n = x.layerPaths().size();
        List<String> layers = new ArrayList<>(n);
        for (int i = n - 1; i >= 0; i--) {
            String hash = m.devices().get(x.layerPaths().get(i));
            if (hash == null) {
                return Outcome.deny("no matching containers for overlay");
            }
            layers.add(hash);
        }
        List<Container> candidates = new ArrayList<>(byLayers.getOrDefault(layers, List.of()));
        for (Metadata.LoadedFragment f : loadedFragments(m)) {
            for (Container c : f.containers()) {
                if (c.layers().equals(layers)) {
                    candidates.add(c);
                }
            }
        }
        if (candidates.isEmpty()) {
            return Outcome.deny("no matching containers for overlay");
        }
        if (m.overlayTargets().contains(x.target())) {
            return Outcome.deny("overlay target already mounted");
        }
        List<Container> found = List.copyOf(candidates);
        return Outcome.allow(List.of(change("matches add " + x.containerID() + ", overlayTargets add " + x.target(),
                s -> s.addOverlay(x.containerID(), found, x.target()))));
    }

    private Outcome execExternal(Request.ExecExternal x, Metadata m) {
        List<ExternalProcess> all = new ArrayList<>(supportedVersion ? policy.externalProcesses() : List.of());
        for (Metadata.LoadedFragment f : loadedFragments(m)) {
            all.addAll(f.externalProcesses());
        }
        List<ExternalProcess> byCmd = all.stream().filter(p -> p.command().equals(x.argList())).toList();
        if (byCmd.isEmpty()) {
            return Outcome.deny("invalid command");
        }
        List<ExternalProcess> byDir = byCmd.stream().filter(p -> p.workingDir().equals(x.workingDir())).toList();
        if (byDir.isEmpty()) {
            return Outcome.deny("invalid working directory");
        }
        List<String> envList = x.envList();
        if (policy.flags().allowEnvironmentVariableDropping()) {
            Optional<List<String>> kept = CreateContainerRule.largestUnique(
                    byDir.stream().map(p -> ContainerChecks.keptEnv(p.envRules(), x.envList())).toList());
            if (kept.isEmpty()) {
                return Outcome.deny("invalid env list");
            }
            envList = kept.get();
        }
        List<String> env = envList;
        List<ExternalProcess> ok = byDir.stream().filter(p -> ContainerChecks.envOk(p.envRules(), env)).toList();
        if (ok.isEmpty()) {
            return Outcome.deny(CreateContainerRule.envErrors(
                    byDir.stream().map(ExternalProcess::envRules).toList(), env,
                    policy.flags().allowEnvironmentVariableDropping()));
        }
        Set<Boolean> stdio = new HashSet<>();
        ok.forEach(p -> stdio.add(p.allowStdioAccess()));
        if (stdio.size() > 1) {
            return Outcome.deny("external processes only distinguishable by allow_stdio_access");
        }
        return new Outcome(true, Optional.of(env), Optional.empty(), stdio.iterator().next(), false, List.of(),
                List.of(), List.of());
    }

    private Outcome signal(Request.SignalContainerProcess x, Metadata m) {
        if (!m.started().containsKey(x.containerID()) || !m.matches().containsKey(x.containerID())) {
            return Outcome.deny("container not started");
        }
        List<Container> ok = new ArrayList<>();
        for (Container c : m.matches().get(x.containerID())) {
            if (x.isInitProcess() ? c.signals().contains(x.signal()) : execSignalOk(c, x)) {
                ok.add(c);
            }
        }
        if (ok.isEmpty()) {
            return Outcome.deny("target isn't allowed to receive the signal");
        }
        return Outcome.allow(List.of(change("matches update " + x.containerID(),
                s -> s.updateMatches(x.containerID(), ok))));
    }

    private static boolean execSignalOk(Container c, Request.SignalContainerProcess x) {
        for (ExecProcess p : c.execProcesses()) {
            if (p.command().equals(x.argList()) && p.signals().contains(x.signal())) {
                return true;
            }
        }
        return false;
    }

    private Outcome plan9Mount(Request.Plan9Mount x, Metadata m) {
        if (m.p9mounts().containsKey(x.target())) {
            return Outcome.deny("device already mounted at path");
        }
        String prefix = CONTAINER_ROOT + "/";
        if (x.target().startsWith(prefix)) {
            int slash = x.target().indexOf('/', prefix.length());
            if (slash > 0) {
                String cid = x.target().substring(prefix.length(), slash);
                if (m.matches().containsKey(cid) && Patterns.fullMatch(
                        com.google.re2j.Pattern.quote(prefix + cid) + PLAN9_MOUNT_PATH, x.target())) {
                    return Outcome.allow(List.of(change("p9mounts add " + x.target(), s -> s.addP9(x.target(), cid))));
                }
            }
        }
        return Outcome.deny("no matching container for plan9 mount target");
    }

    private Outcome scratchMount(Request.ScratchMount x, Metadata m) {
        List<String> errors = new ArrayList<>();
        if (m.scratchMounts().containsKey(x.target())) {
            errors.add("scratch already mounted at path");
        }
        if (!x.encrypted() && !policy.flags().allowUnencryptedScratch()) {
            errors.add("unencrypted scratch not allowed");
        }
        if (!errors.isEmpty()) {
            return Outcome.deny(errors);
        }
        return Outcome.allow(List.of(change("scratch_mounts add " + x.target(),
                s -> s.addScratch(x.target(), x.encrypted()))));
    }

    /** Fragment references a load may match: the policy's plus those of already loaded fragments. */
    private List<FragmentRef> candidateFragments(Metadata m) {
        Set<FragmentRef> out = new LinkedHashSet<>(supportedVersion ? policy.fragments() : List.of());
        for (Metadata.LoadedFragment f : loadedFragments(m)) {
            out.addAll(f.fragments());
        }
        return List.copyOf(out);
    }

    /** Loaded fragments contribute candidates only to a policy of a supported version (framework 0.3.0). */
    private List<Metadata.LoadedFragment> loadedFragments(Metadata m) {
        return supportedVersion ? m.issuers() : List.of();
    }

    static StateChange change(String description, java.util.function.UnaryOperator<Metadata> op) {
        return new StateChange(description, op);
    }

    /** Sets per name, for the capability sets of a result. */
    static List<Set<String>> asSets(CapabilitySets c) {
        List<Set<String>> out = new ArrayList<>(5);
        for (List<String> l : c.all()) {
            out.add(new HashSet<>(l));
        }
        return out;
    }
}
