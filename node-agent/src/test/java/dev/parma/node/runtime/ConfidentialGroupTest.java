package dev.parma.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.contracts.Json;
import dev.parma.contracts.Topics;
import dev.parma.contracts.node.ContainerWorkload;
import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.EnvVar;
import dev.parma.contracts.node.GroupRuntimeState;
import dev.parma.contracts.node.GroupStatus;
import dev.parma.contracts.node.GroupWorkload;
import dev.parma.contracts.node.InstanceEvent;
import dev.parma.contracts.node.Isolation;
import dev.parma.contracts.node.NodeEvent;
import dev.parma.contracts.node.NodeHeartbeat;
import dev.parma.contracts.node.StartGroup;
import dev.parma.guest.Layers;
import dev.parma.node.NodeTestResources;
import dev.parma.node.TestRegistry;
import dev.parma.node.WorkFiles;
import dev.parma.node.images.Registry;
import dev.parma.node.vm.SimDriver;
import dev.parma.policy.generate.GenerateOptions;
import dev.parma.policy.generate.PolicyGenerator;
import dev.parma.policy.spec.ContainerSpec;
import dev.parma.policy.spec.GroupSpec;
import dev.parma.policy.spec.ImageInfo;
import dev.parma.snp.abi.AttestationReport;
import dev.parma.snp.sim.SimAuthority;
import dev.parma.snp.trust.RootStore;
import dev.parma.snp.verify.CertificateChain;
import dev.parma.snp.verify.ReportVerifier;
import dev.parma.testsupport.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Confidential groups end to end on one node: a real registry, the sim driver, the guest agent as its own
 * process, runc. The test plays the control plane on the node's Kafka topics.
 */
@QuarkusTest
@NodeTestResources
class ConfidentialGroupTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String IMAGE = "busybox:1.36";
    static final String CMD = "echo \"hello from the UVM mode=$MODE\"; exec sleep 300";
    static final AtomicInteger IDS = new AtomicInteger();
    static final List<String> STARTED = new java.util.concurrent.CopyOnWriteArrayList<>();
    static Groups staticGroups;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "parma.node.work-dir")
    Path workDir;
    @Inject
    Groups groups;

    @AfterAll
    static void cleanUp() {
        // UVMs and containers outlive the agent by design: delete what the tests started.
        if (staticGroups != null) {
            STARTED.forEach(g -> staticGroups.delete(new DeleteGroup("cleanup-" + g, g, 1)));
        }
    }

    static String policy(List<String> command, List<dev.parma.policy.spec.EnvVar> env, String image, String hash) {
        return policy(command, env, image, hash, GenerateOptions.defaults());
    }

    static String policy(List<String> command, List<dev.parma.policy.spec.EnvVar> env, String image, String hash,
            GenerateOptions options) {
        var info = new ImageInfo(image, Optional.empty(), Optional.of(List.of("sh")),
                List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), Optional.empty(),
                List.of(hash));
        var spec = ContainerSpec.of("app", image).withCommand(command).withEnv(env);
        return PolicyGenerator.generate(new GroupSpec(List.of(spec)), java.util.Map.of(image, info), options);
    }

    static String sha256Hex(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Starts a confidential group and returns its id. */
    String start(KafkaTestClient kafka, String policyText, String hostData, String image, List<String> command,
            List<EnvVar> env) throws Exception {
        staticGroups = groups;
        String id = "cg-" + IDS.incrementAndGet();
        STARTED.add(id);
        var container = new ContainerWorkload("app", image, command, env, 0.5, 0.25);
        var workload = new GroupWorkload("/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerInstance/"
                + "containerGroups/" + id, Isolation.CONFIDENTIAL, "Always", List.of(container),
                Base64.getEncoder().encodeToString(policyText.getBytes(StandardCharsets.UTF_8)), hostData);
        kafka.send(Topics.nodeCommands("test-node"), id, Json.mapper().writeValueAsString(new StartGroup("start-" + id,
                id, 1, workload)));
        return id;
    }

    static GroupStatus awaitStatus(KafkaTestClient kafka, String id, Predicate<GroupStatus> match) {
        var rec = kafka.await(r -> {
            if (!id.equals(r.key())) {
                return false;
            }
            try {
                return Json.mapper().readValue(r.value(), NodeEvent.class) instanceof GroupStatus s && match.test(s);
            } catch (Exception e) {
                return false;
            }
        }, WAIT);
        try {
            return (GroupStatus) Json.mapper().readValue(rec.value(), NodeEvent.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Predicate<GroupStatus> denial(String reason) {
        return s -> s.events().stream().anyMatch(e -> e.name().equals(reason) && "Warning".equals(e.type()));
    }

    static InstanceEvent event(GroupStatus s, String name) {
        return s.events().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void confidentialGroupRunsInAUvmAndItsReportVerifiesWithHostDataEqualToThePolicyDigest() throws Exception {
        String hash = TestRegistry.LAYER_HASH.get("1.36");
        var cmd = List.of("/bin/sh", "-c", CMD);
        String policy = policy(cmd, List.of(dev.parma.policy.spec.EnvVar.plain("MODE", "demo")), IMAGE, hash);
        String hostData = sha256Hex(policy.getBytes(StandardCharsets.UTF_8));
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS, Topics.NODE_HEARTBEATS)) {
            String id = start(kafka, policy, hostData, IMAGE, cmd, List.of(new EnvVar("MODE", "demo", false)));
            var running = awaitStatus(kafka, id, s -> s.state() == GroupRuntimeState.Running);
            assertThat(running.containers().get(0).currentState().state()).isEqualTo("Running");
            assertThat(running.events()).extracting(InstanceEvent::name).containsSubsequence("UvmStarted", "Pulling",
                    "Pulled", "Started");
            assertThat(event(running, "Started").message()).as("runc is installed by scripts/install-deps.sh")
                    .contains("(runc)");
            var pids = groups.pids(id);
            assertThat(pids).containsKeys("uvm", "app");
            // the container's root file system is an overlay of the layer the guest verified and unpacked
            Path group = workDir.resolve("groups").resolve(id);
            assertThat(Layers.mountsUnder(group)).containsExactly(group.resolve("uvm/rootfs/_run_gcs_c_app-1_rootfs"));
            assertThat(pids.get("app")).isNotEqualTo(pids.get("uvm"));
            // the group's command, the UVM's state and log, the guest's copy of the spec: no other user reads them
            for (Path f : List.of(group.resolve("group.json"), group.resolve("uvm/guest.log"), group.resolve(
                    "uvm/containers/app-1/config.json"))) {
                WorkFiles.ownerOnly(workDir, f);
            }
            // the UVM's sockets: the host's and the report channel the agent's alone, in a directory of its own;
            // the attestation endpoint open to the group's containers only, through the bind mount
            Path sockets = SimDriver.socketDir(group.resolve("uvm"));
            assertThat(WorkFiles.mode(sockets.getParent())).isEqualTo("rwx------");
            assertThat(WorkFiles.mode(sockets)).isEqualTo("rwx------");
            assertThat(WorkFiles.mode(sockets.resolve("agent.sock"))).isEqualTo("rw-------");
            assertThat(WorkFiles.mode(sockets.resolve("sev-guest.sock"))).isEqualTo("rw-------");
            assertThat(WorkFiles.mode(sockets.resolve("attest/attest.sock"))).isEqualTo("rw-rw-rw-");

            // logs through the agent's HTTP endpoint, served by the guest
            await().atMost(WAIT).untilAsserted(() -> assertThat(RestAssured.get("/groups/" + id
                    + "/containers/app/logs?tail=5").then().statusCode(200).extract().asString())
                    .contains("hello from the UVM mode=demo"));
            assertThat(RestAssured.get("/groups/" + id + "/containers/app/logs?tail=1&timestamps=true").then()
                    .statusCode(200).extract().asString())
                    .matches("20\\d\\d-\\d\\d-\\d\\dT[^ ]+Z hello from the UVM mode=demo\n");
            assertThat(RestAssured.get("/groups/" + id + "/containers/nope/logs").then().extract().statusCode())
                    .isEqualTo(404);

            // in-group attestation endpoint: REPORT_DATA = SHA-256(runtime data), HOST_DATA = policy digest
            Path uvm = workDir.resolve("groups").resolve(id).resolve("uvm");
            byte[] runtimeData = "{\"nonce\":\"n-123\"}".getBytes(StandardCharsets.UTF_8);
            var resp = InGroupAttestation.post(InGroupAttestation.socket(uvm), runtimeData);
            assertThat(resp.status()).isEqualTo("HTTP/1.1 200 OK");
            var body = resp.body();
            byte[] report = HexFormat.of().parseHex(body.path("report").asText());
            var authority = SimAuthority.fromPem(Files.readString(workDir.resolve("sim").resolve("authority.pem")));
            var verified = ReportVerifier.create(RootStore.amd().with(authority.roots())).verify(report,
                    CertificateChain.fromPem(body.path("vcekCertChain").asText()), Instant.now());
            AttestationReport r = verified.report();
            assertThat(HexFormat.of().formatHex(r.hostData())).isEqualTo(hostData);
            assertThat(HexFormat.of().formatHex(r.reportData()).substring(0, 64)).isEqualTo(sha256Hex(runtimeData));
            var hb = Json.mapper().readValue(kafka.await(x -> "test-node".equals(x.key()), WAIT).value(),
                    NodeHeartbeat.class);
            assertThat(hb.snp()).isTrue();
            assertThat(hb.simulated()).isTrue();
            assertThat(HexFormat.of().formatHex(r.measurement())).isEqualTo(hb.uvmMeasurement());
            assertThat(hb.tcb()).isEqualTo(r.reportedTcb().hex());
            assertThat(hb.endpoint()).startsWith("https://");
            // the UVM endorsement is the publisher's COSE_Sign1 over this very measurement
            var publisher = dev.parma.snp.sim.UvmPublisher.fromPem(Files.readString(workDir.resolve("sim").resolve(
                    "uvm-publisher.pem")));
            var cose = dev.parma.snp.cose.CoseSign1.parse(Base64.getDecoder().decode(body.path("uvmEndorsement")
                    .asText()));
            dev.parma.snp.cose.TrustedSigners.of(List.of(publisher.root())).verify(cose, Instant.now());
            assertThat(new ObjectMapper().readTree(cose.payload()).path("x-ms-sevsnpvm-launchmeasurement").asText())
                    .isEqualTo(HexFormat.of().formatHex(r.measurement()));
            // the real REPORT_DATA path refuses a report without the sim root trusted
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReportVerifier.create(RootStore.amd())
                    .verify(report, CertificateChain.fromPem(body.path("vcekCertChain").asText()), Instant.now()))
                    .isInstanceOf(dev.parma.snp.verify.VerificationException.class);

            // exec and signals outside the policy are denied by the guest
            var g = (ConfidentialGroup) groups.group(id);
            var exec = g.exec("app", List.of("/bin/cat", "/etc/passwd"), null, Duration.ofSeconds(30));
            assertThat(exec.path("ok").asBoolean()).isFalse();
            assertThat(exec.path("point").asText()).isEqualTo("EXEC_IN_CONTAINER");
            assertThat(exec.path("error").asText()).contains("policyDecision");
            var signal = g.signal("app", 10);
            assertThat(signal.path("ok").asBoolean()).isFalse();
            assertThat(signal.path("point").asText()).isEqualTo("SIGNAL_CONTAINER_PROCESS");

            // the agent goes away and comes back: the UVM and its container keep running and are taken over
            long uvmPid = pids.get("uvm");
            long appPid = pids.get("app");
            groups.detachAll();
            assertThat(ProcessHandle.of(uvmPid).map(ProcessHandle::isAlive)).contains(true);
            assertThat(groups.recover()).isPositive();
            var recovered = awaitStatus(kafka, id, s -> s.state() == GroupRuntimeState.Running && s.events().isEmpty());
            assertThat(recovered.containers().get(0).currentState().state()).isEqualTo("Running");
            assertThat(groups.pids(id)).containsEntry("uvm", uvmPid).containsEntry("app", appPid);
            assertThat(RestAssured.get("/groups/" + id + "/containers/app/logs").then().statusCode(200).extract()
                    .asString()).contains("hello from the UVM");

            kafka.send(Topics.nodeCommands("test-node"), id,
                    Json.mapper().writeValueAsString(new DeleteGroup("del-" + id, id, 1)));
            await().atMost(WAIT).until(() -> ProcessHandle.of(uvmPid).map(p -> !p.isAlive()).orElse(true));
            assertThat(ProcessHandle.of(appPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            await().atMost(WAIT).untilAsserted(() -> assertThat(Layers.mountsUnder(group)).isEmpty());
        }
    }

    @Test
    void aRestartedContainerStartsFromThePristineLayerAndTheExitedRunsRootFileSystemIsGone() throws Exception {
        // each run changes a file of the image and leaves a marker: the next run must see neither
        var cmd = List.of("/bin/sh", "-c", "if [ -e /marker ] || grep -q tampered /etc/passwd; then echo 'image:"
                + " changed'; else echo 'image: pristine'; fi; touch /marker; echo tampered >> /etc/passwd; exit 3");
        String policy = policy(cmd, List.of(), IMAGE, TestRegistry.LAYER_HASH.get("1.36"));
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS)) {
            String id = start(kafka, policy, sha256Hex(policy.getBytes(StandardCharsets.UTF_8)), IMAGE, cmd,
                    List.of());
            Path group = workDir.resolve("groups").resolve(id);
            Path uvm = group.resolve("uvm");
            Path second = uvm.resolve("containers/app-2/stdout.log");
            await().atMost(WAIT).until(() -> Files.exists(second) && Files.readString(second).contains("image:"));
            assertThat(Files.readString(uvm.resolve("containers/app-1/stdout.log"))).contains("image: pristine");
            assertThat(Files.readString(second)).contains("image: pristine");
            Path layer = uvm.resolve("layers/_run_mounts_scsi_m0/fs");
            assertThat(layer.resolve("marker")).doesNotExist();
            assertThat(Files.readString(layer.resolve("etc/passwd"))).doesNotContain("tampered");
            await().atMost(WAIT).untilAsserted(() -> assertThat(Layers.mountsUnder(group))
                    .doesNotContain(uvm.resolve("rootfs/_run_gcs_c_app-1_rootfs")));
            assertThat(uvm.resolve("rootfs/_run_gcs_c_app-1_rootfs.rw")).doesNotExist();

            kafka.send(Topics.nodeCommands("test-node"), id,
                    Json.mapper().writeValueAsString(new DeleteGroup("del-" + id, id, 1)));
            await().atMost(WAIT).untilAsserted(() -> assertThat(Layers.mountsUnder(group)).isEmpty());
        }
    }

    @Test
    void anotherCommandIsDeniedAtCreateContainer() throws Exception {
        String policy = policy(List.of("/bin/sh", "-c", CMD), List.of(), IMAGE, TestRegistry.LAYER_HASH.get("1.36"));
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS)) {
            String id = start(kafka, policy, sha256Hex(policy.getBytes(StandardCharsets.UTF_8)), IMAGE,
                    List.of("/bin/sh", "-c", "cat /etc/passwd; sleep 300"), List.of());
            var s = awaitStatus(kafka, id, denial("PolicyDenied"));
            assertThat(event(s, "PolicyDenied").message()).contains("create_container").contains("policyDecision");
            assertThat(s.state()).isEqualTo(GroupRuntimeState.Failed);
            assertThat(s.containers().get(0).currentState().detailStatus()).isEqualTo("PolicyDenied");
            assertThat(RestAssured.get("/q/metrics").asString())
                    .containsPattern("parma_policy_denials_total\\{point=\"create_container\"[^}]*} [1-9]");
        }
    }

    @Test
    void anExtraEnvironmentVariableIsDenied() throws Exception {
        var cmd = List.of("/bin/sh", "-c", CMD);
        // confcom's default lets the guest drop variables the policy does not name; this policy does not
        String policy = policy(cmd, List.of(), IMAGE, TestRegistry.LAYER_HASH.get("1.36"),
                GenerateOptions.defaults().withEnvDropping(false));
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS)) {
            String id = start(kafka, policy, sha256Hex(policy.getBytes(StandardCharsets.UTF_8)), IMAGE, cmd,
                    List.of(new EnvVar("INJECTED", "1", false)));
            var s = awaitStatus(kafka, id, denial("PolicyDenied"));
            assertThat(event(s, "PolicyDenied").message()).contains("create_container");
        }
    }

    @Test
    void aWrongLayerHashIsDeniedAtMountDevice() throws Exception {
        var cmd = List.of("/bin/sh", "-c", CMD);
        String policy = policy(cmd, List.of(), IMAGE, "ab".repeat(32));
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS)) {
            String id = start(kafka, policy, sha256Hex(policy.getBytes(StandardCharsets.UTF_8)), IMAGE, cmd,
                    List.of());
            var s = awaitStatus(kafka, id, denial("PolicyDenied"));
            assertThat(event(s, "PolicyDenied").message()).contains("mount_device");
        }
    }

    @Test
    void aTamperedLayerIsDeniedAtMountDevice() throws Exception {
        String image = "busybox:tamper";
        var cmd = List.of("/bin/sh", "-c", CMD);
        String policy = policy(cmd, List.of(), image, TestRegistry.LAYER_HASH.get("tamper"));
        // The host (untrusted) changes the layer after pulling it: digests checked at pull time no longer help.
        var pulled = new Registry(workDir.resolve("images"), Optional.of(TestRegistry.address), List.of())
                .pull(image);
        try (var ch = FileChannel.open(pulled.layers().get(0), StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[]{0x42}), 700);
        }
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS)) {
            String id = start(kafka, policy, sha256Hex(policy.getBytes(StandardCharsets.UTF_8)), image, cmd,
                    List.of());
            var s = awaitStatus(kafka, id, denial("PolicyDenied"));
            assertThat(event(s, "PolicyDenied").message()).contains("mount_device");
        } finally {
            Files.deleteIfExists(pulled.layers().get(0));
        }
    }

    @Test
    void aPolicyThatIsNotHostDataRunsNothing() throws Exception {
        var cmd = List.of("/bin/sh", "-c", CMD);
        String policy = policy(cmd, List.of(), IMAGE, TestRegistry.LAYER_HASH.get("1.36"));
        String other = policy.replace("\"app\"", "\"other\"");
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS)) {
            // HOST_DATA is the digest of the policy the tenant signed off; the host hands the UVM another one
            String id = start(kafka, other, sha256Hex(policy.getBytes(StandardCharsets.UTF_8)), IMAGE, cmd,
                    List.of());
            var s = awaitStatus(kafka, id, denial("HostDataMismatch"));
            assertThat(event(s, "HostDataMismatch").message()).contains("refusing to run anything");
            assertThat(s.state()).isEqualTo(GroupRuntimeState.Failed);
            assertThat(groups.pids(id)).as("a UVM that refused is not kept running").doesNotContainKey("uvm");
        }
    }
}
