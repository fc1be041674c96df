package dev.parma.node.runtime;

import dev.parma.contracts.Json;
import dev.parma.contracts.node.Isolation;
import dev.parma.contracts.node.OverheadSummary;
import dev.parma.guest.OwnerOnly;
import dev.parma.node.config.NodeConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Overhead metrics: container CPU and wall time per workload and isolation (confidential = in a UVM, standard =
 * none), the UVMs' own CPU (per workload) and memory, the UVM launch phases (measure, launch, first container
 * running) and the guest's time in the policy engine. Every finished container run, and every UVM's CPU when its
 * group ends, is also added to a per (workload, isolation) {@link OverheadSummary}, kept in the work directory so it
 * survives an agent restart.
 */
@ApplicationScoped
public class Overhead {

    private static final Logger LOG = Logger.getLogger(Overhead.class);

    private final MeterRegistry registry;
    private final String nodeId;
    private final Path file;
    private final ConcurrentHashMap<String, AtomicLong> uvmRss = new ConcurrentHashMap<>();
    private final Map<String, OverheadSummary.Row> rows = new ConcurrentHashMap<>();

    Overhead(MeterRegistry registry, NodeConfig config) {
        this.registry = registry;
        this.nodeId = config.id();
        this.file = config.workDir().resolve("overhead.json");
        registry.gauge("parma.uvm.memory.rss.bytes", uvmRss,
                m -> m.values().stream().mapToLong(AtomicLong::get).sum());
        registry.gauge("parma.uvm.count", uvmRss, m -> m.size());
        load();
    }

    public void phase(String phase, Duration d) {
        Timer.builder("parma.uvm.launch.phase").tag("phase", phase).publishPercentiles(0.5, 0.99)
                .register(registry).record(d);
    }

    /** One liveness or readiness probe's result: success, failure or denied (by a confidential group's policy). */
    public void probeResult(String probe, String result) {
        registry.counter("parma.probe.results", "probe", probe, "result", result).increment();
    }

    /** CPU seconds consumed by a workload's containers since the last sample. */
    public void containerCpu(String workload, Isolation isolation, double seconds) {
        if (seconds > 0) {
            registry.counter("parma.container.cpu.seconds", "workload", workload, "isolation", tag(isolation))
                    .increment(seconds);
        }
    }

    /** Wall seconds a workload's containers ran since the last sample. */
    public void containerWall(String workload, Isolation isolation, double seconds) {
        if (seconds > 0) {
            registry.counter("parma.container.wall.seconds", "workload", workload, "isolation", tag(isolation))
                    .increment(seconds);
        }
    }

    /** One policy evaluation inside a guest, by enforcement point (the Rego rule name). */
    public void policyEvaluation(String point, long nanos) {
        Timer.builder("parma.policy.evaluation").tag("point", point).register(registry)
                .record(Duration.ofNanos(nanos));
    }

    /** A host request the guest's policy refused, by enforcement point (mount_device, create_container, ...). */
    public void policyDenied(String point) {
        registry.counter("parma.policy.denials", "point", point.toLowerCase(java.util.Locale.ROOT)).increment();
    }

    /** An interactive exec session ended its handshake: started, denied, unauthorized, expired or failed. */
    public void execSession(String outcome) {
        registry.counter("parma.exec.sessions", "outcome", outcome).increment();
    }

    /** A container run that finished (exited or was stopped): added to its workload's summary row. */
    public void finished(String workload, Isolation isolation, double cpuSeconds, double wallSeconds,
            double policySeconds) {
        var run = new OverheadSummary.Row(workload, isolation, 1, cpuSeconds, cpuSeconds * cpuSeconds, wallSeconds,
                wallSeconds * wallSeconds, policySeconds);
        rows.merge(workload + "\u0000" + isolation, run, OverheadSummary.Row::plus);
        save();
    }

    /** What this node's finished container runs cost, per workload and isolation. */
    public OverheadSummary summary() {
        return new OverheadSummary(nodeId, rows.values().stream()
                .sorted(Comparator.comparing(OverheadSummary.Row::workload)
                        .thenComparing(OverheadSummary.Row::isolation))
                .toList());
    }

    /** CPU seconds a workload's UVM itself (the guest agent) consumed since the last sample: pure overhead. */
    public void uvmCpu(String workload, double seconds) {
        if (seconds > 0) {
            registry.counter("parma.uvm.cpu.seconds", "workload", workload).increment(seconds);
        }
    }

    /** A UVM whose group ended: all the CPU it used, added to its workload's confidential row. */
    public void uvmFinished(String workload, double cpuSeconds) {
        var uvm = new OverheadSummary.Row(workload, Isolation.CONFIDENTIAL, 0, 0, 0, 0, 0, 0, cpuSeconds);
        rows.merge(workload + "\u0000" + Isolation.CONFIDENTIAL, uvm, OverheadSummary.Row::plus);
        save();
    }

    public void uvmMemory(String groupId, long pid) {
        uvmRss.computeIfAbsent(groupId, g -> new AtomicLong()).set(rssBytes(pid));
    }

    public void uvmGone(String groupId) {
        uvmRss.remove(groupId);
    }

    private static String tag(Isolation isolation) {
        return isolation.name().toLowerCase(Locale.ROOT);
    }

    private synchronized void save() {
        try {
            OwnerOnly.directory(file.getParent());
            Path tmp = file.resolveSibling("overhead.json.tmp");
            OwnerOnly.write(tmp, Json.mapper().writeValueAsString(summary()));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warnf("cannot save %s: %s", file, e.getMessage());
        }
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            var saved = Json.mapper().readValue(file.toFile(), OverheadSummary.class);
            saved.rows().forEach(r -> rows.put(r.workload() + "\u0000" + r.isolation(), r));
        } catch (IOException e) {
            LOG.warnf("ignoring unreadable %s: %s", file, e.getMessage());
        }
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
}
