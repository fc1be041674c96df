package dev.parma.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parma.contracts.Json;
import dev.parma.contracts.Topics;
import dev.parma.contracts.node.ContainerPort;
import dev.parma.contracts.node.ContainerSecurity;
import dev.parma.contracts.node.ContainerWorkload;
import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.GroupRuntimeState;
import dev.parma.contracts.node.GroupWorkload;
import dev.parma.contracts.node.Isolation;
import dev.parma.contracts.node.StartGroup;
import dev.parma.contracts.node.Volume;
import dev.parma.contracts.node.VolumeMount;
import dev.parma.node.NodeTestResources;
import dev.parma.node.TestRegistry;
import dev.parma.policy.generate.GenerateOptions;
import dev.parma.policy.generate.PolicyGenerator;
import dev.parma.policy.spec.ContainerSpec;
import dev.parma.policy.spec.GroupSpec;
import dev.parma.policy.spec.ImageInfo;
import dev.parma.policy.spec.SecurityContext;
import dev.parma.testsupport.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * ACI's volumes (emptyDir, secret), volume mounts, ports and security contexts reach the OCI spec that runs under
 * real runc, and for a confidential group the guest's create_container check.
 */
@QuarkusTest
@NodeTestResources
class ArmFieldsTest {

    static final Duration WAIT = Duration.ofSeconds(40);
    static final String SECRET = "s3cr3t-volume-value";
    static final String SECRET_B64 = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
    static final String IMAGE = "busybox:1.36";
    static final List<String> STARTED = new ArrayList<>();
    static Groups staticGroups;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "parma.node.work-dir")
    Path workDir;
    @Inject
    Groups groups;

    @AfterAll
    static void cleanUp() {
        if (staticGroups != null) {
            STARTED.forEach(g -> staticGroups.delete(new DeleteGroup("cleanup-" + g, g, 1)));
        }
    }

    static List<String> sh(String script) {
        return List.of("/bin/sh", "-c", script);
    }

    static final List<Volume> VOLUMES = List.of(Volume.emptyDir("scratch"),
            new Volume("cfg", Volume.Kind.SECRET, Map.of("token", SECRET_B64)));

    /** Reads the secret (its digest, not its value), probes the read-only mount, shows its capabilities. */
    static final String WRITER = "echo shared > /scratch/note; echo token=$(sha256sum /etc/app/token | cut -c1-64);"
            + " touch /etc/app/x 2>/dev/null && echo ro=no || echo ro=yes;"
            + " grep -E '^(CapEff|NoNewPrivs)' /proc/self/status; echo done; exec sleep 300";
    static final String USER = "while [ ! -f /scratch/note ]; do sleep 0.1; done;"
            + " echo uid=$(id -u) gid=$(id -g) note=$(cat /scratch/note); grep NoNewPrivs /proc/self/status;"
            + " echo done; exec sleep 300";

    static ContainerWorkload writer() {
        return new ContainerWorkload("writer", IMAGE, sh(WRITER), List.of(), 0.2, 0.1, List.of(),
                List.of(new VolumeMount("scratch", "/scratch", false), new VolumeMount("cfg", "/etc/app", true)),
                new ContainerSecurity(false, true, List.of("NET_ADMIN"), List.of("CHOWN"), null, null));
    }

    static ContainerWorkload user() {
        return new ContainerWorkload("user", IMAGE, sh(USER), List.of(), 0.2, 0.1, List.of(),
                List.of(new VolumeMount("scratch", "/scratch", false)),
                new ContainerSecurity(false, false, List.of(), List.of(), 65534L, 65534L));
    }

    String start(KafkaTestClient kafka, String id, Isolation iso, List<ContainerWorkload> containers, String policy)
            throws Exception {
        staticGroups = groups;
        STARTED.add(id);
        var w = new GroupWorkload("/x/" + id, iso, "Never", containers, policy == null
                ? null
                : Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8)),
                policy == null
                        ? null
                        : ConfidentialGroupTest.sha256Hex(policy.getBytes(StandardCharsets.UTF_8)),
                null, VOLUMES);
        kafka.send(Topics.nodeCommands("test-node"), id, Json.mapper().writeValueAsString(new StartGroup("start-"
                + id, id, 1, w)));
        return id;
    }

    static String awaitLog(String group, String container) {
        await().atMost(WAIT).until(() -> RestAssured.get("/groups/" + group + "/containers/" + container + "/logs")
                .asString().contains("done"));
        return RestAssured.get("/groups/" + group + "/containers/" + container + "/logs").asString();
    }

    static long capEff(String log) {
        String line = log.lines().filter(l -> l.startsWith("CapEff:")).findFirst().orElseThrow();
        return Long.parseLong(line.substring(7).strip(), 16);
    }

    static String digest(String s) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    static final int CAP_CHOWN = 0;
    static final int CAP_NET_ADMIN = 12;
    static final int CAP_SYS_ADMIN = 21;

    @Test
    void aStandardGroupRunsItsVolumesPortsAndSecurityContextsUnderRunc() throws Exception {
        int port;
        try (var s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        var web = new ContainerWorkload("web", IMAGE, sh("mkdir -p /tmp/www && echo served-by-parma >"
                + " /tmp/www/index.html && exec httpd -f -p " + port + " -h /tmp/www"), List.of(), 0.2, 0.1,
                List.of(new ContainerPort(port, "TCP")), List.of(), null);
        var root = new ContainerWorkload("root", IMAGE, sh("grep CapEff /proc/self/status; echo done;"
                + " exec sleep 300"), List.of(), 0.2, 0.1, List.of(), List.of(),
                new ContainerSecurity(true, true, List.of(), List.of(), null, null));
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS)) {
            String id = start(kafka, "arm-standard", Isolation.STANDARD, List.of(writer(), user(), web, root), null);
            var running = ConfidentialGroupTest.awaitStatus(kafka, id, s -> s.state() == GroupRuntimeState.Running
                    && s.containers().stream().allMatch(c -> "Running".equals(c.currentState().state())));

            String w = awaitLog(id, "writer");
            assertThat(w).contains("token=" + digest(SECRET)).contains("ro=yes").doesNotContain(SECRET)
                    .contains("NoNewPrivs:\t0");
            long caps = capEff(w);
            assertThat(caps & (1L << CAP_NET_ADMIN)).as("added").isNotZero();
            assertThat(caps & (1L << CAP_CHOWN)).as("dropped").isZero();
            assertThat(caps & (1L << CAP_SYS_ADMIN)).as("not granted").isZero();
            assertThat(awaitLog(id, "user")).contains("uid=65534 gid=65534 note=shared").contains("NoNewPrivs:\t1");
            assertThat(capEff(awaitLog(id, "root")) & (1L << CAP_SYS_ADMIN)).as("privileged").isNotZero();

            // the port the container exposes answers on the node
            await().atMost(WAIT).untilAsserted(() -> assertThat(HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).contains("served-by-parma"));
            Path config = workDir.resolve("groups").resolve(id).resolve("web").resolve("web-1")
                    .resolve("config.json");
            assertThat(Json.mapper().readTree(config.toFile()).at("/annotations/dev.parma.ports").asText())
                    .isEqualTo(port + "/TCP");

            // the secret is in a file for the container, never in an event
            assertThat(Json.mapper().writeValueAsString(running)).doesNotContain(SECRET).doesNotContain(SECRET_B64);
            kafka.send(Topics.nodeCommands("test-node"), id, Json.mapper().writeValueAsString(new DeleteGroup(
                    "delete-" + id, id, 1)));
            kafka.await(r -> id.equals(r.key()) && r.value().contains("GroupRemoved"), WAIT);
            assertThat(Files.exists(config)).as("the run's bundle is removed").isFalse();
        }
    }

    static String policy(List<ContainerSpec> specs) {
        var info = new ImageInfo(IMAGE, Optional.empty(), Optional.of(List.of("sh")),
                List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), Optional.empty(),
                List.of(TestRegistry.LAYER_HASH.get("1.36")));
        return PolicyGenerator.generate(new GroupSpec(specs), Map.of(IMAGE, info), GenerateOptions.defaults());
    }

    static ContainerSpec writerSpec() {
        return ContainerSpec.of("writer", IMAGE).withCommand(sh(WRITER)).withMounts(List.of(
                new dev.parma.policy.spec.VolumeMount("scratch", dev.parma.policy.spec.VolumeMount.VolumeKind.EMPTY_DIR,
                        "/scratch", false),
                new dev.parma.policy.spec.VolumeMount("cfg", dev.parma.policy.spec.VolumeMount.VolumeKind.SECRET,
                        "/etc/app", true)))
                .withSecurityContext(new SecurityContext(false, List.of("NET_ADMIN"), List.of("CHOWN"),
                        Optional.empty(), Optional.empty(), true));
    }

    static ContainerSpec userSpec() {
        return ContainerSpec.of("user", IMAGE).withCommand(sh(USER)).withMounts(List.of(
                new dev.parma.policy.spec.VolumeMount("scratch", dev.parma.policy.spec.VolumeMount.VolumeKind.EMPTY_DIR,
                        "/scratch", false)))
                .withSecurityContext(new SecurityContext(false, List.of(), List.of(), Optional.of(65534L),
                        Optional.of(65534L), false));
    }

    @Test
    void aConfidentialGroupsMountsUserAndCapabilitiesPassThePolicyAndRun() throws Exception {
        String policy = policy(List.of(writerSpec(), userSpec()));
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS)) {
            String id = start(kafka, "arm-confidential", Isolation.CONFIDENTIAL, List.of(writer(), user()), policy);
            ConfidentialGroupTest.awaitStatus(kafka, id, s -> s.state() == GroupRuntimeState.Running
                    && s.containers().stream().allMatch(c -> "Running".equals(c.currentState().state())));
            String w = awaitLog(id, "writer");
            assertThat(w).contains("token=" + digest(SECRET)).contains("ro=yes").doesNotContain(SECRET);
            assertThat(capEff(w) & (1L << CAP_NET_ADMIN)).isNotZero();
            assertThat(capEff(w) & (1L << CAP_CHOWN)).isZero();
            assertThat(awaitLog(id, "user")).contains("uid=65534 gid=65534 note=shared").contains("NoNewPrivs:\t1");
        }
    }

    @Test
    void aConfidentialGroupIsDeniedAMountUserOrCapabilityItsPolicyDoesNotAllow() throws Exception {
        // the policy knows the containers without their mounts and with the default security context
        String policy = policy(List.of(ContainerSpec.of("writer", IMAGE).withCommand(sh(WRITER)),
                ContainerSpec.of("user", IMAGE).withCommand(sh(USER))));
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS)) {
            String id = start(kafka, "arm-denied", Isolation.CONFIDENTIAL, List.of(writer(), user()), policy);
            var s = ConfidentialGroupTest.awaitStatus(kafka, id, x -> x.state() == GroupRuntimeState.Failed);
            var denials = s.events().stream().filter(e -> e.name().equals("PolicyDenied")).toList();
            assertThat(denials).extracting(e -> e.container()).containsExactlyInAnyOrder("writer", "user");
            assertThat(denials).allSatisfy(e -> assertThat(e.message()).contains("create_container")
                    .doesNotContain(SECRET).doesNotContain(SECRET_B64));
        }
    }
}
