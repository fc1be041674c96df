package dev.parma.e2e.faults;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Which groups run where it counts, on the host: every group's container is a busybox shell whose command line
 * carries the group's marker, so the processes carrying a marker are that group's running copies, on whatever
 * node. Two is a group running twice; a different pid is a restarted workload.
 */
final class Census {

    private Census() {
    }

    /** marker → pids of the containers carrying it, for the markers in {@code markers}. */
    static Map<String, List<Long>> take(java.util.Collection<String> markers) {
        var out = new HashMap<String, List<Long>>();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            all.forEach(p -> {
                var info = p.info();
                if (!info.command().map(c -> c.endsWith("busybox")).orElse(false)) {
                    return;
                }
                String args = String.join(" ", info.arguments().orElse(new String[0]));
                int at = args.indexOf(Workload.MARKER);
                if (at < 0) {
                    return;
                }
                int end = args.indexOf(';', at);
                String marker = args.substring(at, end < 0 ? args.length() : end);
                // a shell's child between fork and exec carries its parent's command line: not a second copy
                boolean forked = p.parent().flatMap(q -> q.info().arguments())
                        .map(a -> String.join(" ", a).contains(marker)).orElse(false);
                if (markers.contains(marker) && !forked && p.isAlive()) {
                    out.merge(marker, List.of(p.pid()), (a, b) -> Stream.concat(a.stream(), b.stream()).toList());
                }
            });
        }
        return out;
    }

    /** Whether {@code pid} was started from under {@code dir}: some ancestor's command line names it. */
    static boolean underDir(long pid, String dir) {
        var p = ProcessHandle.of(pid);
        while (p.isPresent()) {
            if (p.get().info().arguments().map(a -> String.join(" ", a).contains(dir)).orElse(false)) {
                return true;
            }
            p = p.get().parent();
        }
        return false;
    }
}
