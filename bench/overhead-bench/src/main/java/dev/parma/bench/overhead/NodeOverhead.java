package dev.parma.bench.overhead;

import dev.parma.contracts.Json;
import dev.parma.contracts.node.Isolation;
import dev.parma.contracts.node.OverheadSummary;
import dev.parma.contracts.node.OverheadSummary.Row;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * The node agents' own account of finished containers ({@code GET /overhead}), summed over the nodes. Groups run
 * one at a time, so the difference of the sums before and after a run is that run's CPU, wall and policy time.
 */
final class NodeOverhead {

    private final HttpClient http;
    private final List<String> nodes;

    /** {@code operator}: the identity the internal APIs admit (./parma keeps it in .run/pki/operator.parma). */
    NodeOverhead(List<String> nodes, java.nio.file.Path operator) {
        this.nodes = List.copyOf(nodes);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .sslContext(dev.parma.identity.Tls.context(new dev.parma.identity.IdentityDir(operator))).build();
    }

    /** The fleet's row for one workload and isolation (zeros if no node has run it yet). */
    Row total(String workload, Isolation isolation) throws IOException {
        Row sum = new Row(workload, isolation, 0, 0, 0, 0, 0, 0);
        for (String node : nodes) {
            for (Row r : summary(node).rows()) {
                if (r.workload().equals(workload) && r.isolation() == isolation) {
                    sum = sum.plus(r);
                }
            }
        }
        return sum;
    }

    /**
     * Waits until exactly one more run of this workload and isolation is accounted than in {@code before}; returns
     * the difference, or throws if another run slipped in or none arrives.
     */
    Row awaitOneMore(Row before, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Row now = total(before.workload(), before.isolation());
            long added = now.runs() - before.runs();
            if (added == 1) {
                return minus(now, before);
            }
            if (added > 1) {
                throw new IOException(added + " runs of " + before.workload() + " finished at once: is someone else"
                        + " running it?");
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the nodes did not account the run of " + before.workload() + " within "
                        + timeout);
            }
            Tenant.sleep(Duration.ofMillis(100));
        }
    }

    static Row minus(Row a, Row b) {
        return new Row(a.workload(), a.isolation(), a.runs() - b.runs(), a.cpuSeconds() - b.cpuSeconds(),
                a.cpuSecondsSquared() - b.cpuSecondsSquared(), a.wallSeconds() - b.wallSeconds(),
                a.wallSecondsSquared() - b.wallSecondsSquared(), a.policySeconds() - b.policySeconds(),
                a.uvmCpuSeconds() - b.uvmCpuSeconds());
    }

    private OverheadSummary summary(String node) throws IOException {
        try {
            var resp = http.send(HttpRequest.newBuilder(URI.create(node + "/overhead")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) {
                throw new IOException("GET " + node + "/overhead → " + resp.statusCode() + " " + resp.body());
            }
            return Json.mapper().readValue(resp.body(), OverheadSummary.class);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
