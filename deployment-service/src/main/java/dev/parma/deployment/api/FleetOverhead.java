package dev.parma.deployment.api;

import dev.parma.contracts.Json;
import dev.parma.contracts.node.Isolation;
import dev.parma.contracts.node.OverheadSummary;
import dev.parma.contracts.node.OverheadSummary.Row;
import dev.parma.deployment.node.NodeClient;
import dev.parma.deployment.node.NodeEntity;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The enclave-overhead table of the fleet: every live node's {@code GET {endpoint}/overhead} (an
 * {@link OverheadSummary}), asked in parallel, rows of the same workload and isolation added up. A node that does not
 * serve it (404), cannot be reached or answers nonsense is listed as unavailable; the table is made of the others.
 */
final class FleetOverhead {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    /** The table and which live nodes contributed to it. */
    record Overhead(List<String> answered, List<String> unavailable, List<Workload> workloads) {
    }

    /**
     * One workload, confidential against standard: means and sample standard deviations per run, the ratios of the
     * means (confidential / standard; null without both sides), and the policy engine's share of the confidential
     * wall time.
     */
    record Workload(String workload, Side confidential, Side standard, Double cpuRatio, Double wallRatio,
            Double policyShare) {
    }

    /** One isolation's runs of a workload; null in {@link Workload} when there were none. */
    record Side(long runs, double cpuSeconds, double cpuStddev, double wallSeconds, double wallStddev,
            double policySeconds) {

        static Side of(Row r) {
            return r == null || r.runs() == 0
                    ? null
                    : new Side(r.runs(), r.meanCpuSeconds(), r.stddevCpuSeconds(), r.meanWallSeconds(),
                            r.stddevWallSeconds(), r.policySeconds() / r.runs());
        }
    }

    private FleetOverhead() {
    }

    /** Asks every node with an endpoint (callers pass the live ones) and merges what they answer. */
    static Overhead of(List<NodeEntity> nodes, NodeClient client) {
        var asks = new TreeMap<String, CompletableFuture<OverheadSummary>>();
        for (var n : nodes) {
            HttpRequest request;
            try {
                request = HttpRequest.newBuilder(NodeClient.uri(n, null, "overhead")).timeout(TIMEOUT).GET().build();
            } catch (java.io.IOException e) {
                asks.put(n.id, CompletableFuture.completedFuture(null));
                continue;
            }
            asks.put(n.id, client.sendAsync(n, request).thenApply(FleetOverhead::summary).exceptionally(e -> null));
        }
        var answered = new ArrayList<String>();
        var unavailable = new ArrayList<String>();
        var merged = new TreeMap<String, Map<Isolation, Row>>();
        for (var ask : asks.entrySet()) {
            OverheadSummary s;
            try {
                s = ask.getValue().get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                s = null;
            }
            if (s == null) {
                unavailable.add(ask.getKey());
                continue;
            }
            answered.add(ask.getKey());
            for (Row r : s.rows()) {
                merged.computeIfAbsent(r.workload(), w -> new EnumMap<>(Isolation.class)).merge(r.isolation(), r,
                        Row::plus);
            }
        }
        var workloads = merged.entrySet().stream().map(e -> workload(e.getKey(), e.getValue())).toList();
        return new Overhead(answered, unavailable, workloads);
    }

    static Workload workload(String name, Map<Isolation, Row> rows) {
        Side c = Side.of(rows.get(Isolation.CONFIDENTIAL));
        Side s = Side.of(rows.get(Isolation.STANDARD));
        Row conf = rows.get(Isolation.CONFIDENTIAL);
        return new Workload(name, c, s, ratio(c == null ? null : c.cpuSeconds(), s == null ? null : s.cpuSeconds()),
                ratio(c == null ? null : c.wallSeconds(), s == null ? null : s.wallSeconds()),
                c == null || conf.wallSeconds() <= 0 ? null : conf.policySeconds() / conf.wallSeconds());
    }

    private static Double ratio(Double confidential, Double standard) {
        return confidential == null || standard == null || standard <= 0 ? null : confidential / standard;
    }

    private static OverheadSummary summary(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            return null;
        }
        try {
            return Json.mapper().readValue(r.body(), OverheadSummary.class);
        } catch (Exception e) {
            return null;
        }
    }
}
