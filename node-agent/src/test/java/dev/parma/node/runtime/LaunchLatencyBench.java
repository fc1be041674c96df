package dev.parma.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parma.contracts.Json;
import dev.parma.contracts.Topics;
import dev.parma.contracts.node.ContainerWorkload;
import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.GroupRuntimeState;
import dev.parma.contracts.node.GroupWorkload;
import dev.parma.contracts.node.Isolation;
import dev.parma.contracts.node.StartGroup;
import dev.parma.node.NodeTestResources;
import dev.parma.node.TestRegistry;
import dev.parma.testsupport.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * StartGroup on the node's topic → first GroupStatus with state Running, standard vs confidential (sim driver,
 * registry pull cached after the first run, guest process, runc), and the resident memory of each UVM. Opt-in:
 * {@code ./mvnw -B -pl node-agent -Dquick test -Dtest=LaunchLatencyBench -Dparma.bench.runs=50}; results in
 * node-agent/target/launch-latency.txt.
 */
@QuarkusTest
@NodeTestResources
@EnabledIfSystemProperty(named = "parma.bench.runs", matches = "\\d+")
class LaunchLatencyBench {

    @Inject
    Groups groups;
    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void startToRunning() throws Exception {
        int runs = Integer.getInteger("parma.bench.runs");
        var cmd = List.of("/bin/sh", "-c", "exec sleep 300");
        String policy = ConfidentialGroupTest.policy(cmd, List.of(), "busybox:1.36",
                TestRegistry.LAYER_HASH.get("1.36"));
        String hostData = ConfidentialGroupTest.sha256Hex(policy.getBytes(StandardCharsets.UTF_8));
        var out = new StringBuilder();
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS)) {
            for (Isolation iso : List.of(Isolation.STANDARD, Isolation.CONFIDENTIAL)) {
                List<Double> ms = new ArrayList<>();
                List<Long> rss = new ArrayList<>();
                for (int i = -2; i < runs; i++) { // two warm-up runs
                    String id = "bench-" + iso.name().toLowerCase() + "-" + i + "-" + System.nanoTime();
                    var w = new GroupWorkload("/bench/" + id, iso, "Always", List.of(new ContainerWorkload("app",
                            "busybox:1.36", cmd, List.of(), 0.5, 0.25)),
                            iso == Isolation.CONFIDENTIAL
                                    ? Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8))
                                    : null,
                            iso == Isolation.CONFIDENTIAL ? hostData : null);
                    long t0 = System.nanoTime();
                    kafka.send(Topics.nodeCommands("test-node"), id, Json.mapper().writeValueAsString(
                            new StartGroup("s-" + id, id, 1, w)));
                    var st = ConfidentialGroupTest.awaitStatus(kafka, id,
                            s -> s.state() == GroupRuntimeState.Running || s.state() == GroupRuntimeState.Failed);
                    double elapsed = (System.nanoTime() - t0) / 1e6;
                    assertThat(st.state()).as(st.toString()).isEqualTo(GroupRuntimeState.Running);
                    if (i >= 0) {
                        ms.add(elapsed);
                        Long uvm = groups.pids(id).get("uvm");
                        if (uvm != null) {
                            rss.add(Overhead.rssBytes(uvm));
                        }
                    }
                    groups.delete(new DeleteGroup("d-" + id, id, 1));
                }
                Collections.sort(ms);
                out.append(String.format("%s: n=%d p50=%.0f ms p99=%.0f ms min=%.0f max=%.0f%n", iso, ms.size(),
                        pct(ms, 50), pct(ms, 99), ms.get(0), ms.get(ms.size() - 1)));
                if (!rss.isEmpty()) {
                    Collections.sort(rss);
                    out.append(String.format("%s: UVM RSS p50=%.1f MiB max=%.1f MiB%n", iso,
                            rss.get(rss.size() / 2) / 1048576.0, rss.get(rss.size() - 1) / 1048576.0));
                }
            }
        }
        for (String phase : List.of("measure", "launch", "init", "pull", "layers", "create", "first_container")) {
            var t = registry.find("parma.uvm.launch.phase").tag("phase", phase).timer();
            if (t != null) {
                var snap = t.takeSnapshot();
                var sb = new StringBuilder("phase " + phase + ": n=" + t.count() + String.format(" mean=%.0f ms",
                        t.mean(java.util.concurrent.TimeUnit.MILLISECONDS)));
                for (var v : snap.percentileValues()) {
                    sb.append(String.format(" p%.0f=%.0f ms", v.percentile() * 100,
                            v.value(java.util.concurrent.TimeUnit.MILLISECONDS)));
                }
                out.append(sb).append('\n');
            }
        }
        System.out.print(out);
        Files.writeString(Path.of("target/launch-latency.txt"), out.toString());
    }

    static double pct(List<Double> sorted, int p) {
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
    }
}
