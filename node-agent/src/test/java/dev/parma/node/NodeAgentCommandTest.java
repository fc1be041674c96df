package dev.parma.node;

import dev.parma.contracts.node.WorkloadSecrets;
import dev.parma.identity.Principal;
import dev.parma.identity.SealedBox;
import dev.parma.testsupport.TestPki;
import java.util.Map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parma.contracts.Json;
import dev.parma.contracts.Topics;
import dev.parma.contracts.node.ContainerWorkload;
import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.EnvVar;
import dev.parma.contracts.node.GroupRemoved;
import dev.parma.contracts.node.GroupRuntimeState;
import dev.parma.contracts.node.GroupStatus;
import dev.parma.contracts.node.GroupWorkload;
import dev.parma.contracts.node.Isolation;
import dev.parma.contracts.node.NodeEvent;
import dev.parma.contracts.node.NodeHeartbeat;
import dev.parma.contracts.node.StartGroup;
import dev.parma.guest.Layers;
import dev.parma.node.runtime.Groups;
import dev.parma.testsupport.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The node agent against a real broker: the test plays the control plane on the node's own topic. */
@QuarkusTest
@NodeTestResources
class NodeAgentCommandTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    /** Says whether the image looks as built, then changes it. */
    static final String TAMPER = "if [ -e /marker ] || grep -q tampered /etc/passwd; then echo 'image: changed';"
            + " else echo 'image: pristine'; fi; touch /marker; echo tampered >> /etc/passwd";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "parma.node.work-dir")
    Path workDir;
    @Inject
    Groups groups;

    static Groups staticGroups;

    @org.junit.jupiter.api.BeforeEach
    void remember() {
        staticGroups = groups;
    }

    @org.junit.jupiter.api.AfterAll
    static void cleanUp() {
        // containers outlive the agent by design: stop what the tests started, even after a failure
        if (staticGroups != null) {
            for (String g : List.of("group-1", "group-2", "group-3")) {
                staticGroups.delete(new DeleteGroup("cleanup-" + g, g, 1));
            }
        }
    }

    @Test
    void registersWithHeartbeats() throws Exception {
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_HEARTBEATS)) {
            var record = kafka.await(r -> r.key().equals("test-node"), WAIT);
            var hb = Json.mapper().readValue(record.value(), NodeHeartbeat.class);
            assertThat(hb.driver()).isEqualTo("sim");
            assertThat(hb.snp()).isTrue();
            assertThat(hb.simulated()).isTrue();
            assertThat(hb.uvmMeasurement()).matches("[0-9a-f]{96}");
            assertThat(hb.endpoint()).startsWith("https://");
            assertThat(hb.cpuCapacity()).isPositive();
        }
    }

    @Test
    void runsTheImageUnderRuncWithoutAUvmIgnoresReplaysAndStopsOnDelete() throws Exception {
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS)) {
            var container = new ContainerWorkload("app", "busybox:1.36", List.of("/bin/sh", "-c",
                    "echo \"mode=$MODE secret-len=${#TOKEN} pid=$$ host=$(hostname)\"; exec sleep 300"),
                    List.of(new EnvVar("MODE", "demo", false), new EnvVar("TOKEN", "abc123", true)), 0.5, 0.5);
            var workload = new GroupWorkload("/subscriptions/s/resourceGroups/r"
                    + "/providers/Microsoft.ContainerInstance/containerGroups/g", Isolation.STANDARD, "Always",
                    List.of(container), null, null);
            // as the control plane sends it: the secure value sealed to this node, bound to group and generation
            String box = SealedBox.seal(Json.mapper().writeValueAsBytes(WorkloadSecrets.of(workload)),
                    TestPki.identity(Principal.node("test-node")).sealing().orElseThrow().chain().get(0),
                    Map.of("grp", "group-1", "gen", "1"));
            var start = new StartGroup("cmd-1", "group-1", 1, WorkloadSecrets.withoutSecrets(workload), box);
            String json = Json.mapper().writeValueAsString(start);
            kafka.send(Topics.nodeCommands("test-node"), "group-1", json);

            var running = kafka.await(r -> r.key().equals("group-1") && r.value().contains("\"Running\""), WAIT);
            var status = (GroupStatus) Json.mapper().readValue(running.value(), NodeEvent.class);
            assertThat(status.state()).isEqualTo(GroupRuntimeState.Running);
            assertThat(status.containers().get(0).currentState().state()).isEqualTo("Running");
            assertThat(status.events()).extracting(e -> e.name()).containsSubsequence("Pulling", "Pulled",
                    "Started");
            assertThat(status.events()).filteredOn(e -> e.name().equals("Started")).singleElement()
                    .satisfies(e -> assertThat(e.message()).contains("(runc)"));
            // heartbeats say what runs here, so a control plane that lost sight of the node keeps it there
            try (var beats = new KafkaTestClient(bootstrap, Topics.NODE_HEARTBEATS)) {
                beats.await(r -> {
                    try {
                        var runs = Json.mapper().readValue(r.value(), NodeHeartbeat.class).running();
                        return runs != null && runs.contains(new NodeHeartbeat.Running("group-1", 1));
                    } catch (Exception e) {
                        return false;
                    }
                }, WAIT);
            }
            long pid = groups.pids("group-1").get("app");
            assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
            assertThat(groups.pids("group-1")).doesNotContainKey("uvm");
            assertThat(workDir.resolve("groups").resolve("group-1").resolve("uvm")).doesNotExist();
            Path log = workDir.resolve("groups").resolve("group-1").resolve("app").resolve("stdout.log");
            await().atMost(WAIT).until(() -> Files.exists(log) && Files.readString(log).contains("mode=demo"));
            // its own pid namespace and hostname (runc), the image's shell, the group's environment
            assertThat(Files.readString(log)).contains("secret-len=6").contains("pid=1 ").contains("host=group-1");
            assertThat(ProcessHandle.of(pid).flatMap(p -> p.info().command())).hasValue("/bin/busybox");
            // cgroup limits from the container's requests: 0.5 GB of memory, half a CPU
            String cgroup = "parma/group-1/app-1/ctr";
            assertThat(Files.readString(Path.of("/sys/fs/cgroup/memory", cgroup, "memory.limit_in_bytes")).trim())
                    .isEqualTo(Long.toString(512L << 20));
            assertThat(Files.readString(Path.of("/sys/fs/cgroup/cpu", cgroup, "cpu.cfs_quota_us")).trim())
                    .isEqualTo("50000");
            // its root file system is an overlay mount of the image's unpacked layer
            Path group = workDir.resolve("groups").resolve("group-1");
            assertThat(Layers.mountsUnder(group)).containsExactly(group.resolve("app/app-1/rootfs"));
            // the spec holds the secure value (runc reads it), the log what the container said: the agent's alone;
            // the saved command holds only the sealed box
            for (Path f : List.of(group.resolve("group.json"), group.resolve("app/app-1/config.json"), log)) {
                WorkFiles.ownerOnly(workDir, f);
            }
            assertThat(Files.readString(group.resolve("group.json"))).doesNotContain("abc123").contains(box);

            // A replayed command (same id) must not start the group again.
            kafka.send(Topics.nodeCommands("test-node"), "group-1", json);
            Thread.sleep(1000);
            assertThat(groups.pids("group-1").get("app")).isEqualTo(pid);

            kafka.send(Topics.nodeCommands("test-node"), "group-1",
                    Json.mapper().writeValueAsString(new DeleteGroup("cmd-2", "group-1", 1)));
            // this group's removal (the topic also holds earlier tests' groups): sent once it is unmounted
            var removed = kafka.await(r -> r.key().equals("group-1") && r.value().contains("GroupRemoved"), WAIT);
            assertThat(Json.mapper().readValue(removed.value(), NodeEvent.class)).isInstanceOf(GroupRemoved.class);
            await().atMost(WAIT).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
            assertThat(groups.pids("group-1")).isEmpty();
            assertThat(Layers.mountsUnder(group)).as("no mount outlives the group").isEmpty();
        }
    }

    @Test
    void restartsAnExitedContainerUnderRestartPolicyAlwaysFromThePristineImage() throws Exception {
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS)) {
            // each run changes a file of the image and leaves a marker: the next run must see neither
            var container = new ContainerWorkload("flaky", "busybox:1.36",
                    List.of("/bin/sh", "-c", TAMPER + "; exit 3"),
                    List.of(), 0.1, 0.1);
            var start = new StartGroup("cmd-3", "group-2", 1, new GroupWorkload("/x", Isolation.STANDARD, "Always",
                    List.of(container), null, null));
            kafka.send(Topics.nodeCommands("test-node"), "group-2", Json.mapper().writeValueAsString(start));

            var restarted = kafka.await(r -> {
                if (!"group-2".equals(r.key())) {
                    return false;
                }
                try {
                    return Json.mapper().readValue(r.value(), NodeEvent.class) instanceof GroupStatus s
                            && s.containers().get(0).restartCount() >= 1 && s.events().stream()
                                    .anyMatch(e -> e.name().equals("Started"));
                } catch (Exception e) {
                    return false;
                }
            }, WAIT);
            var status = (GroupStatus) Json.mapper().readValue(restarted.value(), NodeEvent.class);
            assertThat(status.containers().get(0).previousState().exitCode()).isEqualTo(3);
            Path group = workDir.resolve("groups").resolve("group-2");
            Path log = group.resolve("flaky/stdout.log");
            await().atMost(WAIT).until(() -> Files.exists(log) && Files.readString(log).lines()
                    .filter(l -> l.startsWith("image:")).count() >= 2);
            assertThat(Files.readString(log).lines().filter(l -> l.startsWith("image:")))
                    .allMatch(l -> l.equals("image: pristine"));
            // the layer every standard container of the node shares, unpacked once, is untouched
            try (var unpacked = Files.list(workDir.resolve("images/layers"))) {
                assertThat(unpacked.filter(p -> p.toString().endsWith(".unpacked")).toList()).isNotEmpty()
                        .allSatisfy(l -> {
                            assertThat(l.resolve("fs/marker")).doesNotExist();
                            assertThat(Files.readString(l.resolve("fs/etc/passwd"))).doesNotContain("tampered");
                        });
            }
            kafka.send(Topics.nodeCommands("test-node"), "group-2",
                    Json.mapper().writeValueAsString(new DeleteGroup("cmd-4", "group-2", 1)));
            kafka.await(r -> "group-2".equals(r.key()) && r.value().contains("GroupRemoved"), WAIT);
            await().atMost(WAIT).untilAsserted(() -> assertThat(Layers.mountsUnder(group)).isEmpty());
        }
    }

    @Test
    void anImageThatCannotBePulledFailsTheContainerWithAcisPullEvents() throws Exception {
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS)) {
            var container = new ContainerWorkload("app", "busybox:no-such-tag", List.of("/bin/sh", "-c", "true"),
                    List.of(), 0.1, 0.1);
            var start = new StartGroup("cmd-5", "group-3", 1, new GroupWorkload("/x", Isolation.STANDARD, "Always",
                    List.of(container), null, null));
            kafka.send(Topics.nodeCommands("test-node"), "group-3", Json.mapper().writeValueAsString(start));

            var events = new java.util.ArrayList<dev.parma.contracts.node.InstanceEvent>();
            var failed = kafka.await(r -> {
                if (!"group-3".equals(r.key())) {
                    return false;
                }
                try {
                    var s = (GroupStatus) Json.mapper().readValue(r.value(), NodeEvent.class);
                    events.addAll(s.events());
                    return s.state() == GroupRuntimeState.Failed;
                } catch (Exception e) {
                    return false;
                }
            }, Duration.ofSeconds(30));
            var status = (GroupStatus) Json.mapper().readValue(failed.value(), NodeEvent.class);
            assertThat(status.containers().get(0).currentState().state()).isEqualTo("Waiting");
            assertThat(status.containers().get(0).currentState().detailStatus()).isEqualTo("ErrImagePull");
            assertThat(events).filteredOn(e -> e.name().equals("Failed")).hasSize(3).allSatisfy(e -> {
                assertThat(e.type()).isEqualTo("Warning");
                assertThat(e.message()).startsWith("Failed to pull image \"busybox:no-such-tag\": ");
            });
            assertThat(events).filteredOn(e -> e.name().equals("BackOff")).hasSize(2)
                    .allSatisfy(
                            e -> assertThat(e.message()).isEqualTo("Back-off pulling image \"busybox:no-such-tag\""));
            assertThat(events).filteredOn(e -> e.name().equals("Pulling")).hasSize(3);
            assertThat(groups.pids("group-3")).isEmpty();
            kafka.send(Topics.nodeCommands("test-node"), "group-3",
                    Json.mapper().writeValueAsString(new DeleteGroup("cmd-6", "group-3", 1)));
        }
    }
}
