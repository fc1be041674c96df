package dev.parma.guest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The capabilities this machine can grant: those in this process's bounding set. runc refuses a container that asks
 * for one outside it (a sandbox may lack CAP_SYS_RESOURCE, an older kernel CAP_BPF), so an allowed spec is narrowed
 * to what exists here: never more privilege than was allowed, only possibly less, and the caller says so.
 */
public final class HostCapabilities {

    /** Capability names by bit number (linux/capability.h). */
    static final List<String> BITS = List.of("CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL",
            "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN",
            "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
            "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE",
            "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
            "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE");

    private static final long BOUNDING = bounding();

    private HostCapabilities() {
    }

    /** Removes from an OCI process's capability sets what this machine cannot grant; returns what was removed. */
    public static List<String> restrict(ObjectNode process) {
        var removed = new TreeSet<String>();
        JsonNode caps = process.path("capabilities");
        if (!(caps instanceof ObjectNode sets)) {
            return List.of();
        }
        for (var it = sets.fields(); it.hasNext();) {
            var set = it.next();
            ArrayNode kept = Frames.JSON.createArrayNode();
            for (JsonNode c : set.getValue()) {
                if (available(c.asText())) {
                    kept.add(c);
                } else {
                    removed.add(c.asText());
                }
            }
            set.setValue(kept);
        }
        return new ArrayList<>(removed);
    }

    static boolean available(String cap) {
        int bit = BITS.indexOf(cap.startsWith("CAP_") ? cap.substring(4) : cap);
        return bit >= 0 && (BOUNDING & (1L << bit)) != 0;
    }

    private static long bounding() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapBnd:")) {
                    return Long.parseUnsignedLong(line.substring(7).strip(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: claim everything and let the runtime decide
        }
        return -1L;
    }
}
