package dev.parma.policy.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.parma.policy.Require;
import dev.parma.policy.model.CapabilitySets;
import dev.parma.policy.model.Fragment;
import dev.parma.policy.rego.Value;

/**
 * One host-to-guest action to be judged: exactly one record per {@link EnforcementPoint}. {@link #toInput()} is the
 * input object as hcsshim names its members; denials carry it (redacted).
 */
public sealed interface Request {

    EnforcementPoint point();

    /** The input document, in hcsshim's member names. */
    Value.Obj toInput();

    // ---- devices and overlays ----

    /** A read-only layer device at {@code target} whose dm-verity root hash the guest read is {@code deviceHash}. */
    record MountDevice(String target, String deviceHash) implements Request {
        public MountDevice {
            Require.nonNull(target, "target");
            Require.nonNull(deviceHash, "deviceHash");
        }

        @Override
        public EnforcementPoint point() {
            return EnforcementPoint.MOUNT_DEVICE;
        }

        @Override
        public Value.Obj toInput() {
            return obj("target", str(target), "deviceHash", str(deviceHash));
        }
    }

    record UnmountDevice(String unmountTarget) implements Request {
        public UnmountDevice {
            Require.nonNull(unmountTarget, "unmountTarget");
        }

        @Override
        public EnforcementPoint point() {
            return EnforcementPoint.UNMOUNT_DEVICE;
        }

        @Override
        public Value.Obj toInput() {
            return obj("unmountTarget", str(unmountTarget));
        }
    }

    /** A writable (scratch) SCSI device; must be encrypted unless allow_unencrypted_scratch. */
    record RwMountDevice(String target, boolean encrypted, boolean ensureFilesystem, String filesystem)
            implements
                Request {
        public RwMountDevice {
            Require.nonNull(target, "target");
            Require.nonNull(filesystem, "filesystem");
        }

        @Override
        public EnforcementPoint point() {
            return EnforcementPoint.RW_MOUNT_DEVICE;
        }

        @Override
        public Value.Obj toInput() {
            return obj("target", str(target), "encrypted", Value.Bool.of(encrypted), "ensureFilesystem",
                    Value.Bool.of(ensureFilesystem), "filesystem", str(filesystem));
        }
    }

    record RwUnmountDevice(String unmountTarget) implements Request {
        public RwUnmountDevice {
            Require.nonNull(unmountTarget, "unmountTarget");
        }

        @Override
        public EnforcementPoint point() {
            return EnforcementPoint.RW_UNMOUNT_DEVICE;
        }

        @Override
        public Value.Obj toInput() {
            return obj("unmountTarget", str(unmountTarget));
        }
    }

    /** Block-device mounts: always denied by the framework. */
    record MountBlockdev(String target) implements Request {
        public MountBlockdev {
            Require.nonNull(target, "target");
        }

        @Override
        public EnforcementPoint point() {
            return EnforcementPoint.MOUNT_BLOCKDEV;
        }

        @Override
        public Value.Obj toInput() {
            return obj("target", str(target));
        }
    }

    /** Removing a block-device mount: denied by the framework like the mount itself. */
    record UnmountBlockdev(String unmountTarget) implements Request {
        public UnmountBlockdev {
            Require.nonNull(unmountTarget, "unmountTarget");
        }

        @Override
        public EnforcementPoint point() {
            return EnforcementPoint.UNMOUNT_BLOCKDEV;
        }

        @Override
        public Value.Obj toInput() {
            return obj("unmountTarget", str(unmountTarget));
        }
    }

    /** An overlay for {@code containerID}; {@code layerPaths} are device mount targets, topmost layer first. */
    record MountOverlay(String containerID, List<String> layerPaths, String target) implements Request {
        public MountOverlay {
            Require.nonNull(containerID, "containerID");
            layerPaths = Require.list(layerPaths, "layerPaths");
            Require.nonNull(target, "target");
        }

        @Override
        public EnforcementPoint point() {
            return EnforcementPoint.MOUNT_OVERLAY;
        }

        @Override
        public Value.Obj toInput() {
            return obj("containerID", str(containerID), "layerPaths", strs(layerPaths), "target", str(target));
        }
    }

    record UnmountOverlay(String unmountTarget) implements Request {
        public UnmountOverlay {
            Require.nonNull(unmountTarget, "unmountTarget");
        }

        @Override
        public EnforcementPoint point() {
            return EnforcementPoint.UNMOUNT_OVERLAY;
        }

        @Override
        public Value.Obj toInput() {
            return obj("unmountTarget", str(unmountTarget));
        }
    }

    // ---- containers and processes ----

    /**
     * Container creation. The guest fills user/group names from the image's /etc/passwd and /etc/group and the
     * seccomp hash from the OCI spec.
     *
     * @param sandboxDir {@code /run/gcs/c/<sandboxID>/sandboxMounts}, substituted for {@code sandbox://}
     * @param hugePagesDir {@code /run/gcs/c/<sandboxID>/hugepages}, substituted for {@code hugepages://}
     * @param devices device nodes requested; any is denied (hardening)
     * @param isSandboxContainer the pod's pause container (containerd 2 gives it a read-write /sys)
     */
    record CreateContainer(String containerID, Process process, List<Mount> mounts, String sandboxDir,
            String hugePagesDir, boolean privileged, String seccompProfileSHA256, List<String> devices,
            boolean isSandboxContainer) implements Request {
        public CreateContainer {
            Require.nonNull(containerID, "containerID");
            Require.nonNull(process, "process");
            mounts = Require.list(mounts, "mounts");
            Require.nonNull(sandboxDir, "sandboxDir");
            Require.nonNull(hugePagesDir, "hugePagesDir");
            Require.nonNull(seccompProfileSHA256, "seccompProfileSHA256");
            devices = Require.list(devices, "devices");
        }

        /** A workload (not the pod sandbox) container. */
        public CreateContainer(String containerID, Process process, List<Mount> mounts, String sandboxDir,
                String hugePagesDir, boolean privileged, String seccompProfileSHA256, List<String> devices) {
            this(containerID, process, mounts, sandboxDir, hugePagesDir, privileged, seccompProfileSHA256, devices,
                    false);
        }

        @Override
        public EnforcementPoint point() {
            return EnforcementPoint.CREATE_CONTAINER;
        }

        @Override
        public Value.Obj toInput() {
            Map<String, Value> m = new LinkedHashMap<>();
            m.put("containerID", str(containerID));
            process.putInto(m);
            m.put("sandboxDir", str(sandboxDir));
            m.put("hugePagesDir", str(hugePagesDir));
            List<Value> ms = new ArrayList<>();
            for (Mount mt : mounts) {
                ms.add(mt.toValue());
            }
            m.put("mounts", new Value.Arr(ms));
            m.put("privileged", Value.Bool.of(privileged));
            m.put("seccompProfileSHA256", str(seccompProfileSHA256));
            m.put("devices", strs(devices));
            m.put("isSandboxContainer", Value.Bool.of(isSandboxContainer));
            return new Value.Obj(m);
        }

        public CreateContainer withProcess(Process p) {
            return new CreateContainer(containerID, p, mounts, sandboxDir, hugePagesDir, privileged,
                    seccompProfileSHA256, devices, isSandboxContainer);
        }

        public CreateContainer withMounts(List<Mount> m) {
            return new CreateContainer(containerID, process, m, sandboxDir, hugePagesDir, privileged,
                    seccompProfileSHA256, devices, isSandboxContainer);
        }

        public CreateContainer withPrivileged(boolean p) {
            return new CreateContainer(containerID, process, mounts, sandboxDir, hugePagesDir, p,
                    seccompProfileSHA256, devices, isSandboxContainer);
        }

        public CreateContainer withSeccomp(String s) {
            return new CreateContainer(containerID, process, mounts, sandboxDir, hugePagesDir, privileged, s,
                    devices, isSandboxContainer);
        }

        public CreateContainer withDevices(List<String> d) {
            return new CreateContainer(containerID, process, mounts, sandboxDir, hugePagesDir, privileged,
                    seccompProfileSHA256, d, isSandboxContainer);
        }

        public CreateContainer withContainerID(String id) {
            return new CreateContainer(id, process, mounts, sandboxDir, hugePagesDir, privileged,
                    seccompProfileSHA256, devices, isSandboxContainer);
        }

        public CreateContainer withSandboxContainer(boolean sandbox) {
            return new CreateContainer(containerID, process, mounts, sandboxDir, hugePagesDir, privileged,
                    seccompProfileSHA256, devices, sandbox);
        }
    }

    /** A process exec'd into a started container. Its privilege comes from the container's creation. */
    record ExecInContainer(String containerID, Process process) implements Request {
        public ExecInContainer {
            Require.nonNull(containerID, "containerID");
            Require.nonNull(process, "process");
        }

        @Override
        public EnforcementPoint point() {
            return EnforcementPoint.EXEC_IN_CONTAINER;
        }

        @Override
        public Value.Obj toInput() {
            Map<String, Value> m = new LinkedHashMap<>();
            m.put("containerID", str(containerID));
            process.putInto(m);
            return new Value.Obj(m);
        }
    }

    /** A process in the UVM itself. */
    record ExecExternal(List<String> argList, List<String> envList, String workingDir) implements Request {
        public ExecExternal {
            argList = Require.list(argList, "argList");
            envList = Require.list(envList, "envList");
            Require.nonNull(workingDir, "workingDir");
        }

        @Override
        public EnforcementPoint point() {
            return EnforcementPoint.EXEC_EXTERNAL;
        }

        @Override
        public Value.Obj toInput() {
            return obj("argList", strs(argList), "envList", strs(envList), "workingDir", str(workingDir));
        }
    }

    record ShutdownContainer(String containerID) implements Request {
        public ShutdownContainer {
            Require.nonNull(containerID, "containerID");
        }

        @Override
        public EnforcementPoint point() {
            return EnforcementPoint.SHUTDOWN_CONTAINER;
        }

        @Override
        public Value.Obj toInput() {
            return obj("containerID", str(containerID));
        }
    }

    /** A signal to the init process ({@code isInitProcess}) or to an exec'd process identified by its argv. */
    record SignalContainerProcess(String containerID, int signal, boolean isInitProcess, List<String> argList)
            implements
                Request {
        public SignalContainerProcess {
            Require.nonNull(containerID, "containerID");
            argList = Require.list(argList, "argList");
        }

        @Override
        public EnforcementPoint point() {
            return EnforcementPoint.SIGNAL_CONTAINER_PROCESS;
        }

        @Override
        public Value.Obj toInput() {
            return obj("containerID", str(containerID), "signal", Value.Num.of(signal), "isInitProcess",
                    Value.Bool.of(isInitProcess), "argList", strs(argList));
        }
    }

    // ---- plan9, scratch, diagnostics, fragments ----

    record Plan9Mount(String target) implements Request {
        public Plan9Mount {
            Require.nonNull(target, "target");
        }

        @Override
        public EnforcementPoint point() {
            return EnforcementPoint.PLAN9_MOUNT;
        }

        @Override
        public Value.Obj toInput() {
            return obj("rootPrefix", str(Framework.CONTAINER_ROOT), "mountPathPrefix",
                    str(Framework.PLAN9_MOUNT_PATH), "target", str(target));
        }
    }

    record Plan9Unmount(String unmountTarget) implements Request {
        public Plan9Unmount {
            Require.nonNull(unmountTarget, "unmountTarget");
        }

        @Override
        public EnforcementPoint point() {
            return EnforcementPoint.PLAN9_UNMOUNT;
        }

        @Override
        public Value.Obj toInput() {
            return obj("unmountTarget", str(unmountTarget));
        }
    }

    record ScratchMount(String target, boolean encrypted) implements Request {
        public ScratchMount {
            Require.nonNull(target, "target");
        }

        @Override
        public EnforcementPoint point() {
            return EnforcementPoint.SCRATCH_MOUNT;
        }

        @Override
        public Value.Obj toInput() {
            return obj("target", str(target), "encrypted", Value.Bool.of(encrypted));
        }
    }

    record ScratchUnmount(String unmountTarget) implements Request {
        public ScratchUnmount {
            Require.nonNull(unmountTarget, "unmountTarget");
        }

        @Override
        public EnforcementPoint point() {
            return EnforcementPoint.SCRATCH_UNMOUNT;
        }

        @Override
        public Value.Obj toInput() {
            return obj("unmountTarget", str(unmountTarget));
        }
    }

    record GetProperties() implements Request {
        @Override
        public EnforcementPoint point() {
            return EnforcementPoint.GET_PROPERTIES;
        }

        @Override
        public Value.Obj toInput() {
            return new Value.Obj(Map.of());
        }
    }

    record DumpStacks() implements Request {
        @Override
        public EnforcementPoint point() {
            return EnforcementPoint.DUMP_STACKS;
        }

        @Override
        public Value.Obj toInput() {
            return new Value.Obj(Map.of());
        }
    }

    /** Asked once when the policy is installed: may guest logs leave the UVM? */
    record RuntimeLogging() implements Request {
        @Override
        public EnforcementPoint point() {
            return EnforcementPoint.RUNTIME_LOGGING;
        }

        @Override
        public Value.Obj toInput() {
            return new Value.Obj(Map.of());
        }
    }

    /** A container asks to share the UVM's network namespace (hcsshim's LCOW host-network annotation). */
    record HostNetwork() implements Request {
        @Override
        public EnforcementPoint point() {
            return EnforcementPoint.HOST_NETWORK;
        }

        @Override
        public Value.Obj toInput() {
            return new Value.Obj(Map.of());
        }
    }

    /**
     * A signed Transparency Trust List whose envelope the caller has verified: {@code issuer}, {@code subject} and
     * {@code svn} from its protected header, {@code ledgers} the ledger names it carries keys for. An allow names the
     * ledgers whose keys the caller may keep ({@link Decision.Allow#allowedLedgers()}).
     */
    record LoadTransparencyTrustList(String issuer, String subject, long svn, List<String> ledgers)
            implements
                Request {
        public LoadTransparencyTrustList {
            Require.nonNull(issuer, "issuer");
            Require.nonNull(subject, "subject");
            ledgers = Require.list(ledgers, "ledgers");
        }

        @Override
        public EnforcementPoint point() {
            return EnforcementPoint.LOAD_TRANSPARENCY_TRUST_LIST;
        }

        @Override
        public Value.Obj toInput() {
            return obj("issuer", str(issuer), "subject", str(subject), "svn", Value.Num.of(svn), "ledgers",
                    strs(ledgers));
        }
    }

    /**
     * A fragment whose COSE envelope the caller has verified: {@code issuer} and {@code feed} come from its protected
     * header, {@code fragment} is its parsed Rego payload.
     */
    record LoadFragment(String issuer, String feed, Fragment fragment) implements Request {
        public LoadFragment {
            Require.nonNull(issuer, "issuer");
            Require.nonNull(feed, "feed");
            Require.nonNull(fragment, "fragment");
        }

        @Override
        public EnforcementPoint point() {
            return EnforcementPoint.LOAD_FRAGMENT;
        }

        @Override
        public Value.Obj toInput() {
            return obj("issuer", str(issuer), "feed", str(feed), "namespace", str(fragment.namespace()));
        }
    }

    // ---- parts ----

    /** A user or group as the guest resolved it: numeric id and name (empty if unknown). */
    record IdNameValue(String id, String name) {
        public IdNameValue {
            Require.nonNull(id, "id");
            Require.nonNull(name, "name");
        }

        Value toValue() {
            return obj("id", str(id), "name", str(name));
        }
    }

    /**
     * The process part shared by create and exec.
     *
     * @param envList {@code NAME=value} entries
     * @param umask four octal digits, e.g. {@code 0022}
     */
    record Process(List<String> argList, List<String> envList, String workingDir, boolean noNewPrivileges,
            IdNameValue user, List<IdNameValue> groups, String umask, CapabilitySets capabilities) {
        public Process {
            argList = Require.list(argList, "argList");
            envList = Require.list(envList, "envList");
            Require.nonNull(workingDir, "workingDir");
            Require.nonNull(user, "user");
            groups = Require.list(groups, "groups");
            Require.nonNull(umask, "umask");
            Require.nonNull(capabilities, "capabilities");
        }

        void putInto(Map<String, Value> m) {
            m.put("argList", strs(argList));
            m.put("envList", strs(envList));
            m.put("workingDir", str(workingDir));
            m.put("noNewPrivileges", Value.Bool.of(noNewPrivileges));
            m.put("user", user.toValue());
            List<Value> g = new ArrayList<>();
            for (IdNameValue v : groups) {
                g.add(v.toValue());
            }
            m.put("groups", new Value.Arr(g));
            m.put("umask", str(umask));
            Map<String, Value> caps = new LinkedHashMap<>();
            for (int i = 0; i < 5; i++) {
                caps.put(CapabilitySets.SET_NAMES.get(i), strs(capabilities.all().get(i)));
            }
            m.put("capabilities", new Value.Obj(caps));
        }

        public Process withArgList(List<String> a) {
            return new Process(a, envList, workingDir, noNewPrivileges, user, groups, umask, capabilities);
        }

        public Process withEnvList(List<String> e) {
            return new Process(argList, e, workingDir, noNewPrivileges, user, groups, umask, capabilities);
        }

        public Process withWorkingDir(String w) {
            return new Process(argList, envList, w, noNewPrivileges, user, groups, umask, capabilities);
        }

        public Process withNoNewPrivileges(boolean n) {
            return new Process(argList, envList, workingDir, n, user, groups, umask, capabilities);
        }

        public Process withUser(IdNameValue u) {
            return new Process(argList, envList, workingDir, noNewPrivileges, u, groups, umask, capabilities);
        }

        public Process withGroups(List<IdNameValue> g) {
            return new Process(argList, envList, workingDir, noNewPrivileges, user, g, umask, capabilities);
        }

        public Process withUmask(String u) {
            return new Process(argList, envList, workingDir, noNewPrivileges, user, groups, u, capabilities);
        }

        public Process withCapabilities(CapabilitySets c) {
            return new Process(argList, envList, workingDir, noNewPrivileges, user, groups, umask, c);
        }
    }

    /** An OCI mount of the container spec. */
    record Mount(String destination, String source, String type, List<String> options) {
        public Mount {
            Require.nonNull(destination, "destination");
            Require.nonNull(source, "source");
            Require.nonNull(type, "type");
            options = Require.list(options, "options");
        }

        Value toValue() {
            return obj("destination", str(destination), "source", str(source), "type", str(type), "options",
                    strs(options));
        }
    }

    private static Value.Str str(String s) {
        return new Value.Str(s);
    }

    private static Value.Arr strs(List<String> l) {
        List<Value> out = new ArrayList<>(l.size());
        for (String s : l) {
            out.add(new Value.Str(s));
        }
        return new Value.Arr(out);
    }

    private static Value.Obj obj(Object... kv) {
        Map<String, Value> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Value) kv[i + 1]);
        }
        return new Value.Obj(m);
    }
}
