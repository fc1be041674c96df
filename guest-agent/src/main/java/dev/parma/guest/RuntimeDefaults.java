package dev.parma.guest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What keeps one container from another, the same for both SKUs and never the host's to choose: runc's default
 * runtime mounts, fresh pid, ipc, uts and mount namespaces (the network namespace stays the node's), runc's masked
 * and read-only paths (none for a privileged container), and a device cgroup that denies every device but the ones
 * the spec lists. The node agent writes specs with them; the guest sets them again on every spec it allowed, so a host
 * cannot take a confidential container out of its namespaces or unmask /proc.
 */
public final class RuntimeDefaults {

    /** A mount the runtime adds to every container; only an exact copy is exempt from create_container. */
    public record Mount(String destination, String type, String source, List<String> options) {

        ObjectNode toJson() {
            ObjectNode m = Frames.object();
            m.put("destination", destination);
            m.put("type", type);
            m.put("source", source);
            options.forEach(m.putArray("options")::add);
            return m;
        }

        boolean matches(JsonNode m) {
            return destination.equals(m.path("destination").asText(null)) && type.equals(m.path("type").asText(null))
                    && source.equals(m.path("source").asText(null)) && options.equals(GuestAgent.strings(m.path(
                            "options")))
                    && m.size() == 4;
        }
    }

    public static final List<Mount> MOUNTS = List.of(
            new Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
            new Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
            new Mount("/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666",
                    "mode=0620")),
            new Mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
            new Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
            new Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")));

    public static final List<String> NAMESPACES = List.of("pid", "ipc", "uts", "mount");
    /** {@code runc spec}'s defaults. */
    public static final List<String> MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
            "/proc/scsi");
    public static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    private RuntimeDefaults() {
    }

    /** Whether a spec's mount is exactly one the runtime adds (else it is the host's, and judged). */
    public static boolean isRuntimeMount(JsonNode mount) {
        return MOUNTS.stream().anyMatch(m -> m.matches(mount));
    }

    /** The runtime's mounts, in order, at the start of a spec's mount list. */
    public static void addMounts(ArrayNode mounts) {
        MOUNTS.forEach(m -> mounts.add(m.toJson()));
    }

    /**
     * Sets the spec's namespaces, masked and read-only paths and device cgroup, replacing whatever it had: a device
     * the spec lists (judged by the policy, for a confidential container) is the only one allowed besides runc's own
     * defaults (null, zero, tty, …).
     */
    public static void isolate(ObjectNode spec, boolean privileged) {
        JsonNode l = spec.get("linux");
        ObjectNode linux = l instanceof ObjectNode o ? o : spec.putObject("linux");
        ArrayNode ns = linux.putArray("namespaces");
        NAMESPACES.forEach(t -> ns.addObject().put("type", t));
        linux.remove(List.of("maskedPaths", "readonlyPaths"));
        if (!privileged) {
            MASKED_PATHS.forEach(linux.putArray("maskedPaths")::add);
            READONLY_PATHS.forEach(linux.putArray("readonlyPaths")::add);
        }
        JsonNode r = linux.get("resources");
        ObjectNode resources = r instanceof ObjectNode o ? o : linux.putObject("resources");
        ArrayNode devices = resources.putArray("devices");
        devices.addObject().put("allow", false).put("access", "rwm");
        for (JsonNode d : linux.path("devices")) {
            ObjectNode allow = devices.addObject().put("allow", true).put("type", d.path("type").asText("c"));
            allow.put("major", d.path("major").asLong()).put("minor", d.path("minor").asLong()).put("access", "rwm");
        }
    }
}
