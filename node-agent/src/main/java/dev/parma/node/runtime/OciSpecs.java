package dev.parma.node.runtime;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.contracts.node.ContainerSecurity;
import dev.parma.contracts.node.ContainerWorkload;
import dev.parma.contracts.node.VolumeMount;
import dev.parma.contracts.node.EnvVar;
import dev.parma.guest.Frames;
import dev.parma.guest.GuestAgent;
import dev.parma.guest.RuntimeDefaults;
import dev.parma.node.images.PulledImage;
import dev.parma.policy.generate.ContainerDerivation;
import dev.parma.policy.generate.PlatformContract;
import dev.parma.policy.model.CapabilitySets;
import dev.parma.policy.spec.SecurityContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OCI runtime spec the host proposes for a container: the image's config overlaid with the workload (command,
 * environment), its security context (user and group, capabilities from containerd's defaults plus added minus
 * dropped, no_new_privileges, privileged), the runtime's standard mounts plus its volume mounts, cgroup limits
 * from the container's requested resources, and the isolation every container gets ({@link RuntimeDefaults}). In a
 * confidential group the guest judges exactly this spec; a standard group runs it as is.
 */
final class OciSpecs {

    static final String PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private OciSpecs() {
    }

    static List<String> args(ContainerWorkload c, PulledImage image) {
        if (!c.command().isEmpty()) {
            return c.command();
        }
        List<String> argv = new ArrayList<>(image.entrypoint());
        argv.addAll(image.cmd());
        return argv;
    }

    static List<String> env(ContainerWorkload c, PulledImage image) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String kv : image.env()) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        if (!env.containsKey("PATH")) {
            env.put("PATH", PATH.substring(5));
        }
        for (EnvVar v : c.environmentVariables()) {
            env.put(v.name(), v.value() == null ? "" : v.value());
        }
        for (String kv : PlatformContract.INJECTED_ENV_VALUES) {
            int eq = kv.indexOf('=');
            env.putIfAbsent(kv.substring(0, eq), kv.substring(eq + 1));
        }
        List<String> out = new ArrayList<>();
        env.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /**
     * @param volumeSources where each volume the container mounts comes from (by volume name): a host directory for
     *     a standard group, the sandbox path the policy names for a confidential one
     */
    static ObjectNode spec(String groupId, String containerId, ContainerWorkload c, PulledImage image,
            Map<String, String> volumeSources) {
        ContainerSecurity sec = c.security();
        ObjectNode s = Frames.object();
        s.put("ociVersion", "1.0.2");
        ObjectNode p = s.putObject("process");
        p.put("terminal", false);
        ObjectNode user = p.putObject("user");
        user.put("uid", sec.runAsUser() == null ? 0 : sec.runAsUser());
        user.put("gid", sec.runAsGroup() == null ? 0 : sec.runAsGroup());
        strings(p.putArray("args"), args(c, image));
        strings(p.putArray("env"), env(c, image));
        p.put("cwd", image.workingDir().orElse("/"));
        CapabilitySets caps = ContainerDerivation.capabilities(policyContext(sec));
        ObjectNode co = p.putObject("capabilities");
        for (int i = 0; i < 5; i++) {
            strings(co.putArray(CapabilitySets.SET_NAMES.get(i)), caps.all().get(i));
        }
        p.put("noNewPrivileges", !sec.allowPrivilegeEscalation());
        ArrayNode rl = p.putArray("rlimits");
        ObjectNode nofile = rl.addObject();
        nofile.put("type", "RLIMIT_NOFILE");
        nofile.put("hard", 1024);
        nofile.put("soft", 1024);
        ObjectNode root = s.putObject("root");
        root.put("path", "rootfs");
        root.put("readonly", false);
        s.put("hostname", shortName(groupId));
        ArrayNode mounts = s.putArray("mounts");
        RuntimeDefaults.addMounts(mounts);
        for (VolumeMount m : c.volumeMounts()) {
            // the options confcom writes for every volume mount (PlatformContract), so the guest's check matches
            mount(mounts, m.mountPath(), "bind", volumeSources.get(m.name()), List.of("rbind", "rshared",
                    m.readOnly() ? "ro" : "rw"));
        }
        ObjectNode annotations = s.putObject("annotations");
        if (sec.privileged()) {
            annotations.put(GuestAgent.PRIVILEGED_ANNOTATION, "true");
        }
        if (!c.ports().isEmpty()) {
            // informational: containers share the node's network namespace, so a port is simply bound there
            annotations.put("dev.parma.ports", String.join(",", c.ports().stream()
                    .map(x -> x.port() + "/" + x.protocol()).toList()));
        }
        ObjectNode linux = s.putObject("linux");
        linux.put("cgroupsPath", cgroupsPath(groupId, containerId));
        ObjectNode res = linux.putObject("resources");
        long memBytes = Math.max(16L << 20, (long) (c.memoryInGB() * 1024 * 1024 * 1024));
        res.putObject("memory").put("limit", memBytes);
        ObjectNode cpu = res.putObject("cpu");
        cpu.put("period", 100_000);
        cpu.put("quota", Math.max(1000, (long) (c.cpu() * 100_000)));
        cpu.put("shares", Math.max(2, (long) (c.cpu() * 1024)));
        res.putObject("pids").put("limit", 1024);
        // own pid, ipc, uts and mount namespaces (the node's network), runc's masked and read-only paths, no devices
        // beyond runc's defaults: what a guest also imposes on whatever spec it allows
        RuntimeDefaults.isolate(s, sec.privileged());
        return s;
    }

    /** The same security context as the policy library sees it (so capabilities are derived identically). */
    static SecurityContext policyContext(ContainerSecurity sec) {
        return new SecurityContext(sec.privileged(), sec.capabilitiesAdd(), sec.capabilitiesDrop(),
                Optional.ofNullable(sec.runAsUser()), Optional.ofNullable(sec.runAsGroup()),
                sec.allowPrivilegeEscalation());
    }

    /** runc's cgroup for one container run (see {@link Cgroups}). */
    static String cgroupsPath(String groupId, String containerId) {
        return Cgroups.container(groupCgroup(groupId), containerId);
    }

    /** The cgroup under which all of a group's container runs live. */
    static String groupCgroup(String groupId) {
        return "/parma/" + shortName(groupId);
    }

    static String shortName(String groupId) {
        String s = groupId.replaceAll("[^A-Za-z0-9-]", "-");
        return s.length() > 40 ? s.substring(0, 40) : s;
    }

    private static void mount(ArrayNode mounts, String dest, String type, String source, List<String> options) {
        ObjectNode m = mounts.addObject();
        m.put("destination", dest);
        m.put("type", type);
        m.put("source", source);
        strings(m.putArray("options"), options);
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }
}
