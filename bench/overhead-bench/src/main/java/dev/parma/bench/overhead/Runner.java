package dev.parma.bench.overhead;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parma.contracts.node.Isolation;
import dev.parma.contracts.node.OverheadSummary.Row;
import dev.parma.policy.spec.ImageInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The run loop: for each round, each workload once as a standard and once as a confidential group, one group at a
 * time, the order of the two alternating from workload to workload and round to round so that drift of the shared
 * machine hits both alike. Warm-up rounds (negative numbers) run the same way and are not kept.
 */
final class Runner {

    static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(2);
    static final Duration ACCOUNT_TIMEOUT = Duration.ofSeconds(30);
    static final String RESOURCE_GROUP = "overhead-bench";

    private final Options options;
    private final Tenant tenant;
    private final NodeOverhead nodes;
    private final ImageInfo image;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    final List<String> failures = new ArrayList<>();
    final List<Double> loads = new ArrayList<>();

    Runner(Options options, Tenant tenant, NodeOverhead nodes, ImageInfo image) {
        this.options = options;
        this.tenant = tenant;
        this.nodes = nodes;
        this.image = image;
    }

    List<Run> runAll(RunSink sink) throws IOException {
        List<Workload> suite = Workload.suite().stream().filter(w -> options.workloads().contains(w.name())).toList();
        List<Run> kept = new ArrayList<>();
        for (int round = -options.warmup(); round < options.reps(); round++) {
            for (int i = 0; i < suite.size(); i++) {
                var w = suite.get(i);
                boolean standardFirst = Math.floorMod(round + i, 2) == 0;
                for (Isolation iso : standardFirst
                        ? List.of(Isolation.STANDARD, Isolation.CONFIDENTIAL)
                        : List.of(Isolation.CONFIDENTIAL, Isolation.STANDARD)) {
                    String label = String.format(Locale.ROOT, "[%s %d/%d] %-8s %-12s",
                            round < 0 ? "warm-up" : "round", round < 0 ? round + options.warmup() + 1 : round + 1,
                            round < 0 ? options.warmup() : options.reps(), w.name(),
                            iso.name().toLowerCase(Locale.ROOT));
                    try {
                        Run r = runOnce(w, iso, round);
                        System.out.printf(Locale.ROOT,
                                "%s cpu %.3f s  wall %.3f s  policy %.2f ms  UVM cpu %.3f s  PUT→done %.2f s%n", label,
                                r.cpuSeconds(), r.wallSeconds(), r.policySeconds() * 1000, r.uvmCpuSeconds(),
                                r.putToDoneSeconds());
                        if (round >= 0) {
                            kept.add(r);
                            sink.accept(r);
                        }
                    } catch (IOException | RuntimeException e) {
                        String msg = label.trim() + ": " + e.getMessage();
                        System.out.println(msg);
                        if (round >= 0) {
                            failures.add(msg);
                        }
                    }
                    loads.add(Platform.loadAverage());
                }
            }
        }
        return kept;
    }

    /**
     * One group: PUT, wait until it finished, read the nodes' account of it, DELETE and wait until gone, then read
     * its UVM's CPU.
     */
    Run runOnce(Workload w, Isolation iso, int round) throws IOException {
        List<String> command = w.command("/bin/busybox", options.scale());
        String policy = iso == Isolation.CONFIDENTIAL ? WorkloadPolicy.ccePolicy(image, w.name(), command) : null;
        // a subscription per round: each tenant subscription has its own write rate limit (100 per 5 minutes)
        String subscription = UUID.nameUUIDFromBytes(("parma-overhead-bench/" + runId + "/" + round)
                .getBytes(StandardCharsets.UTF_8)).toString();
        String name = w.name() + "-" + iso.name().substring(0, 1).toLowerCase(Locale.ROOT) + "-"
                + (round + options.warmup());
        String path = tenant.groupPath(subscription, RESOURCE_GROUP, name);
        Row before = nodes.total(w.name(), iso);
        long t0 = System.nanoTime();
        tenant.put(path, GroupBody.of(w.name(), image.reference(), command, iso, policy));
        JsonNode g;
        Run run;
        try {
            g = tenant.awaitDone(path, RUN_TIMEOUT);
            double putToDone = (System.nanoTime() - t0) / 1e9;
            String state = g.at("/properties/instanceView/state").asText();
            if (!"Succeeded".equals(state)) {
                throw new IOException("group ended " + state + ": " + events(g));
            }
            Row delta = nodes.awaitOneMore(before, ACCOUNT_TIMEOUT);
            run = new Run(w.name(), iso, round, delta.cpuSeconds(), delta.wallSeconds(), delta.policySeconds(),
                    viewWall(g), putToDone, 0);
        } finally {
            tenant.delete(path, DELETE_TIMEOUT);
        }
        // the node accounts the UVM's own CPU when the group ends, which it has by the time the group reads 404
        return iso == Isolation.CONFIDENTIAL
                ? run.withUvmCpu(nodes.total(w.name(), iso).uvmCpuSeconds() - before.uvmCpuSeconds())
                : run;
    }

    /** finishTime − startTime of the container as the tenant's instanceView shows it (NaN if absent). */
    static double viewWall(JsonNode group) {
        JsonNode s = group.at("/properties/containers/0/properties/instanceView/currentState");
        if (!s.hasNonNull("startTime") || !s.hasNonNull("finishTime")) {
            return Double.NaN;
        }
        return Duration.between(Instant.parse(s.get("startTime").asText()), Instant.parse(s.get("finishTime")
                .asText())).toNanos() / 1e9;
    }

    private static String events(JsonNode g) {
        var out = new StringBuilder(g.at("/properties/instanceView/events").toString());
        out.append(' ').append(g.at("/properties/containers/0/properties/instanceView").toString());
        return out.length() > 2000 ? out.substring(0, 2000) + "…" : out.toString();
    }

    /** Where each kept run goes as soon as it is measured (the CSV), so an interrupted run keeps its data. */
    interface RunSink {
        void accept(Run r) throws IOException;
    }
}
