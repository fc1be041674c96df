package dev.parma.node.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Container cgroups as runc creates them. Each container run gets its own cgroup, and runc's cgroup is a child of
 * it ({@code /parma/<group>/<run>/ctr}): runc removes only its own leaf when the container ends, and CPU time is
 * charged to every ancestor, so the run's cgroup still holds the run's exact CPU after it exited.
 */
final class Cgroups {

    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    private Cgroups() {
    }

    /** The cgroup that accounts one container run (never removed by runc). */
    static String run(String groupCgroup, String runId) {
        return groupCgroup + "/" + runId;
    }

    /** The cgroupsPath runc is given for a run. */
    static String container(String groupCgroup, String runId) {
        return run(groupCgroup, runId) + "/ctr";
    }

    /** CPU nanoseconds of a cgroup v1 cpuacct group or of a cgroup v2 group, -1 if unreadable. */
    static long cpuNanos(String cgroup) {
        try {
            Path v1 = ROOT.resolve("cpuacct" + cgroup).resolve("cpuacct.usage");
            if (Files.exists(v1)) {
                return Long.parseLong(Files.readString(v1).trim());
            }
            for (Path v2 : List.of(ROOT.resolve(cgroup.substring(1)), ROOT.resolve("unified" + cgroup))) {
                Path stat = v2.resolve("cpu.stat");
                if (Files.exists(stat)) {
                    for (String line : Files.readAllLines(stat)) {
                        if (line.startsWith("usage_usec ")) {
                            return Long.parseLong(line.substring(11).trim()) * 1000;
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Removes a cgroup and its (empty) descendants in every hierarchy; cgroups with live tasks stay. */
    static void remove(String cgroup) {
        String rel = cgroup.substring(1);
        List<Path> candidates;
        try (Stream<Path> s = Files.list(ROOT)) {
            // each v1 hierarchy (cpu, memory, …, unified), or ROOT itself where cgroup v2 is mounted there
            candidates = Stream.concat(Stream.of(ROOT), s).map(h -> h.resolve(rel)).filter(Files::isDirectory)
                    .toList();
        } catch (IOException e) {
            return;
        }
        for (Path dir : candidates) {
            try (Stream<Path> tree = Files.walk(dir)) {
                // cgroupfs directories go with rmdir (their files cannot be deleted), deepest first
                tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).forEach(d -> d.toFile().delete());
            } catch (IOException | RuntimeException ignored) {
                // busy or already gone
            }
        }
    }
}
