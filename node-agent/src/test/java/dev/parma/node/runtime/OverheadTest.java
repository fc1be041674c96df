package dev.parma.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parma.contracts.Json;
import dev.parma.contracts.Topics;
import dev.parma.contracts.node.ContainerWorkload;
import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.GroupRuntimeState;
import dev.parma.contracts.node.GroupWorkload;
import dev.parma.contracts.node.Isolation;
import dev.parma.contracts.node.OverheadSummary;
import dev.parma.contracts.node.StartGroup;
import dev.parma.node.NodeTestResources;
import dev.parma.node.TestRegistry;
import dev.parma.testsupport.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The overhead summary at {@code GET /overhead}: a real standard and a real confidential container run, each under
 * its own workload tag, each counted once when it is stopped; only the confidential one spent time in a policy
 * engine, and only it had a UVM whose own CPU is counted when the group ends. Also the guest's per-point evaluation time
 * and the UVM's CPU per workload as metrics.
 */
@QuarkusTest
@NodeTestResources
class OverheadTest {

    /** Some CPU work, then a long sleep, so the run ends only when the test deletes the group. */
    static final String CMD = "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; echo busy-done; exec sleep 300";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @jakarta.inject.Inject
    Groups groups;
    double uvmCpuFloor;
    double uvmCpuBound;

    @Test
    void finishedRunsOfAStandardAndAConfidentialContainerAreSummedPerWorkloadAndIsolation() throws Exception {
        String tag = "overhead-" + UUID.randomUUID().toString().substring(0, 8);
        var cmd = List.of("/bin/sh", "-c", CMD);
        String policy = ConfidentialGroupTest.policy(cmd, List.of(), ConfidentialGroupTest.IMAGE,
                TestRegistry.LAYER_HASH.get("1.36"));
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS)) {
            var container = new ContainerWorkload("app", ConfidentialGroupTest.IMAGE, cmd, List.of(), 0.5, 0.25);
            String standard = tag + "-s";
            String confidential = tag + "-c";
            send(kafka, new StartGroup("start-" + standard, standard, 1, new GroupWorkload("/x/" + standard,
                    Isolation.STANDARD, "Never", List.of(container), null, null, tag)));
            send(kafka, new StartGroup("start-" + confidential, confidential, 1, new GroupWorkload("/x/"
                    + confidential, Isolation.CONFIDENTIAL, "Never", List.of(container),
                    Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8)),
                    ConfidentialGroupTest.sha256Hex(policy.getBytes(StandardCharsets.UTF_8)), tag)));
            for (String id : List.of(standard, confidential)) {
                ConfidentialGroupTest.awaitStatus(kafka, id, s -> s.state() == GroupRuntimeState.Running);
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                        .until(() -> RestAssured.get("/groups/" + id + "/containers/app/logs").asString()
                                .contains("busy-done"));
            }
            assertThat(rows(tag)).as("nothing has finished yet").isEmpty();

            // the UVM's own CPU so far: what the summary holds at the end is at least this, and at most this plus
            // all the CPU the machine had between now and the group's removal
            long uvm = groups.pids(confidential).get("uvm");
            double uvmCpuBefore = ProcessHandle.of(uvm).flatMap(p -> p.info().totalCpuDuration()).orElseThrow()
                    .toNanos() / 1e9;
            long t0 = System.nanoTime();
            for (String id : List.of(standard, confidential)) {
                send(kafka, new DeleteGroup("delete-" + id, id, 1));
                kafka.await(r -> id.equals(r.key()) && r.value().contains("GroupRemoved"), Duration.ofSeconds(30));
            }
            uvmCpuBound = uvmCpuBefore + (System.nanoTime() - t0) / 1e9 * Runtime.getRuntime().availableProcessors();
            uvmCpuFloor = uvmCpuBefore;
        }
        List<OverheadSummary.Row> rows = rows(tag);
        assertThat(rows).extracting(OverheadSummary.Row::isolation).containsExactly(Isolation.STANDARD,
                Isolation.CONFIDENTIAL);
        for (var row : rows) {
            assertThat(row.runs()).as(row.toString()).isEqualTo(1);
            assertThat(row.cpuSeconds()).as(row.toString()).isPositive();
            assertThat(row.cpuSecondsSquared()).isEqualTo(row.cpuSeconds() * row.cpuSeconds());
            assertThat(row.wallSeconds()).as(row.toString()).isGreaterThanOrEqualTo(row.cpuSeconds() / 2);
        }
        assertThat(rows.get(0).policySeconds()).as("a standard group has no policy engine").isZero();
        assertThat(rows.get(1).policySeconds()).as("the guest judged mounts, create and shutdown").isPositive();
        assertThat(rows.get(0).uvmCpuSeconds()).as("a standard group has no UVM").isZero();
        assertThat(rows.get(1).uvmCpuSeconds()).as("the guest JVM's own CPU, taken when its group ended")
                .isPositive().isGreaterThanOrEqualTo(uvmCpuFloor).isLessThanOrEqualTo(uvmCpuBound);

        String metrics = RestAssured.get("/q/metrics").asString();
        assertThat(metrics).contains("parma_policy_evaluation_seconds_count{point=\"create_container\"}")
                .contains("parma_policy_evaluation_seconds_count{point=\"mount_device\"}")
                .contains("parma_container_cpu_seconds_total{isolation=\"standard\",workload=\"" + tag + "\"}")
                .contains("parma_container_wall_seconds_total{isolation=\"confidential\",workload=\"" + tag + "\"}")
                .containsPattern("parma_uvm_cpu_seconds_total\\{workload=\"" + tag + "\"} [0-9.]*[1-9]")
                // the SRE dashboard's Kafka lag panel reads this from every consumer, the node's command topic too
                .contains("kafka_consumer_fetch_manager_records_lag_max");
    }

    static List<OverheadSummary.Row> rows(String workload) throws Exception {
        JsonNode body = Json.mapper().readTree(RestAssured.get("/overhead").then().statusCode(200)
                .contentType("application/json").extract().asString());
        assertThat(body.path("nodeId").asText()).isEqualTo("test-node");
        return Json.mapper().treeToValue(body, OverheadSummary.class).rows().stream()
                .filter(r -> r.workload().equals(workload)).toList();
    }

    static void send(KafkaTestClient kafka, Object command) throws Exception {
        String id = command instanceof StartGroup s ? s.groupId() : ((DeleteGroup) command).groupId();
        kafka.send(Topics.nodeCommands("test-node"), id, Json.mapper().writeValueAsString(command));
    }
}
