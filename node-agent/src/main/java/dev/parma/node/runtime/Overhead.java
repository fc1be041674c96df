package dev.parma.node.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Overhead metrics: container CPU and wall time per isolation (confidential = in a UVM, standard = none), the
 * UVMs' own CPU and memory, and the UVM launch phases (measure, launch, first container running).
 */
@ApplicationScoped
public class Overhead {

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, AtomicLong> uvmRss = new ConcurrentHashMap<>();

    Overhead(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("parma.uvm.memory.rss.bytes", uvmRss,
                m -> m.values().stream().mapToLong(AtomicLong::get).sum());
        registry.gauge("parma.uvm.count", uvmRss, m -> m.size());
    }

    public void phase(String phase, Duration d) {
        Timer.builder("parma.uvm.launch.phase").tag("phase", phase).publishPercentiles(0.5, 0.99)
                .register(registry).record(d);
    }

    /** CPU seconds consumed by containers since the last sample. */
    public void containerCpu(String isolation, double seconds) {
        if (seconds > 0) {
            registry.counter("parma.container.cpu.seconds", "isolation", isolation).increment(seconds);
        }
    }

    /** Wall seconds containers ran since the last sample. */
    public void containerWall(String isolation, double seconds) {
        if (seconds > 0) {
            registry.counter("parma.container.wall.seconds", "isolation", isolation).increment(seconds);
        }
    }

    /** CPU seconds the UVM itself (guest agent) consumed since the last sample: pure confidential overhead. */
    public void uvmCpu(double seconds) {
        if (seconds > 0) {
            registry.counter("parma.uvm.cpu.seconds").increment(seconds);
        }
    }

    public void uvmMemory(String groupId, long pid) {
        uvmRss.computeIfAbsent(groupId, g -> new AtomicLong()).set(rssBytes(pid));
    }

    public void uvmGone(String groupId) {
        uvmRss.remove(groupId);
    }

    /** Resident set size of a process from /proc (0 if unknown). */
    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            return 0;
        }
        return 0;
    }

    /** CPU nanoseconds of a cgroup v1 cpuacct group or of a cgroup v2 group, -1 if unreadable. */
    public static long cgroupCpuNanos(String cgroupsPath) {
        try {
            Path v1 = Path.of("/sys/fs/cgroup/cpuacct" + cgroupsPath, "cpuacct.usage");
            if (Files.exists(v1)) {
                return Long.parseLong(Files.readString(v1).trim());
            }
            for (Path v2 : new Path[]{Path.of("/sys/fs/cgroup" + cgroupsPath, "cpu.stat"),
                    Path.of("/sys/fs/cgroup/unified" + cgroupsPath, "cpu.stat")}) {
                if (Files.exists(v2)) {
                    for (String line : Files.readAllLines(v2)) {
                        if (line.startsWith("usage_usec ")) {
                            return Long.parseLong(line.substring(11).trim()) * 1000;
                        }
                    }
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
