package dev.parma.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parma.contracts.Json;
import dev.parma.contracts.Topics;
import dev.parma.contracts.node.ContainerWorkload;
import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.GroupWorkload;
import dev.parma.contracts.node.Isolation;
import dev.parma.contracts.node.StartGroup;
import dev.parma.node.NodeTestResources;
import dev.parma.node.TestRegistry;
import dev.parma.snp.abi.AttestationReport;
import dev.parma.snp.sim.SimAuthority;
import dev.parma.snp.trust.RootStore;
import dev.parma.snp.verify.CertificateChain;
import dev.parma.snp.verify.ReportVerifier;
import dev.parma.testsupport.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 1: a confidential group's attestation endpoint serves that group only. Inside the group a container
 * gets a report through the documented socket {@code /run/parma/attest.sock}; another tenant's standard container on
 * the same node (same network namespace) tries every listening TCP port on loopback and every Unix socket it can name —
 * the node's socket table lists the victim's path too — and must get no report at all; a second confidential group
 * tries the same and gets reports for itself only. Real runc, real guest, real busybox (with socat, the tenant's own
 * client).
 */
@QuarkusTest
@NodeTestResources
class AttestationIsolationTest {

    /** An upper bound only: on a loaded machine the first command waits for the consumer group to form. */
    static final Duration WAIT = Duration.ofSeconds(120);
    static final String IMAGE = "busybox:socat";
    static final String RUNTIME_DATA = "{\"nonce\":\"in-group-4f1c\"}";
    /** An HTTP request for a report over the attacker's own runtime data (its "key"). */
    static final String POST = "post() { body='{\"runtime_data\":\"YXR0YWNrZXIta2V5\"}'; printf 'POST /attest/raw"
            + " HTTP/1.0\\r\\nContent-Type: application/json\\r\\nContent-Length: %s\\r\\n\\r\\n%s' ${#body}"
            + " \"$body\"; }; ";
    /** In the group: one report over RUNTIME_DATA through the documented socket; status line and body logged. */
    static final String IN_GROUP = "body=\"{\\\"runtime_data\\\":\\\"$(printf '%s' '" + RUNTIME_DATA
            + "' | base64)\\\"}\"; resp=$(printf 'POST /attest/raw HTTP/1.1\\r\\nHost: localhost\\r\\nContent-Length:"
            + " %s\\r\\nConnection: close\\r\\n\\r\\n%s' ${#body} \"$body\" | socat -t 5 -"
            + " UNIX-CONNECT:/run/parma/attest.sock); echo \"status: $(echo \"$resp\" | head -n 1)\";"
            + " echo \"body: $(echo \"$resp\" | tail -n 1)\"; echo done; exec sleep 300";
    /**
     * Another tenant: every listening TCP port in /proc/net/tcp and tcp6 (a JVM's 127.0.0.1 is listed in tcp6, as
     * ::ffff:127.0.0.1), asked on 127.0.0.1, then every Unix socket in the
     * node's socket table (paths and abstract names alike), every socket file it can see, and the documented path
     * under every /proc/<pid>/root; logs each answer that carries a report ("report via <where>: <body>").
     */
    static final String ATTACKER = POST + "tcp=0; tcpok=0;"
            + " for h in $(awk 'FNR>1 && $4==\"0A\" { split($2,a,\":\"); print a[2] }' /proc/net/tcp /proc/net/tcp6"
            + " | sort -u); do p=$(printf '%d' 0x$h); tcp=$((tcp+1));"
            + " r=$(post | timeout 3 nc 127.0.0.1 $p 2>/dev/null | tail -n 1); case \"$r\" in *'\"report\"'*)"
            + " tcpok=$((tcpok+1)); echo \"report via tcp $p: $r\";; esac; done;"
            + " unix=0; unixok=0;"
            + " for s in $(awk 'NR>1 && NF>=8 {print $8}' /proc/net/unix | sort -u)"
            + " $(find / \\( -path /proc -o -path /sys \\) -prune -o -type s -print 2>/dev/null)"
            + " /proc/*/root/run/parma/attest.sock /run/parma/attest.sock; do"
            + " case \"$s\" in @*) a=ABSTRACT-CONNECT:${s#@};; *) a=UNIX-CONNECT:$s;; esac; unix=$((unix+1));"
            + " echo \"tried $s\"; r=$(post | timeout 3 socat -t 2 - \"$a\" 2>/dev/null | tail -n 1);"
            + " case \"$r\" in *'\"report\"'*) unixok=$((unixok+1)); echo \"report via $s: $r\";; esac; done;"
            + " echo \"tcp-tried=$tcp tcp-reports=$tcpok unix-tried=$unix unix-reports=$unixok\";"
            + " [ -e /run/parma ] && echo 'has /run/parma' || echo 'no /run/parma'; echo done; exec sleep 300";
    /** Group ids of this run: the work dir outlives a run, and a log another run left says "done" already. */
    static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    static final List<String> STARTED = new CopyOnWriteArrayList<>();
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

    void start(KafkaTestClient kafka, String id, Isolation isolation, ContainerWorkload container, String policy)
            throws Exception {
        staticGroups = groups;
        STARTED.add(id);
        var w = new GroupWorkload("/x/" + id, isolation, "Never", List.of(container), policy == null
                ? null
                : Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8)),
                policy == null ? null : ConfidentialGroupTest.sha256Hex(policy.getBytes(StandardCharsets.UTF_8)));
        kafka.send(Topics.nodeCommands("test-node"), id, Json.mapper().writeValueAsString(new StartGroup("start-"
                + id, id, 1, w)));
    }

    static String awaitLog(String group, String container) {
        await().atMost(WAIT).until(() -> RestAssured.get("/groups/" + group + "/containers/" + container + "/logs")
                .asString().contains("done"));
        return RestAssured.get("/groups/" + group + "/containers/" + container + "/logs").asString();
    }

    static String line(String log, String prefix) {
        return log.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError(
                "no '" + prefix + "' in the log:\n" + log)).substring(prefix.length());
    }

    /** The HOST_DATA of every report the log shows its container obtained ("report via <where>: <body>"). */
    static List<String> reportedHostData(String log) {
        return log.lines().filter(l -> l.startsWith("report via ")).map(l -> {
            try {
                var body = Json.mapper().readTree(l.substring(l.indexOf(": ") + 2));
                return HexFormat.of().formatHex(AttestationReport.parse(HexFormat.of().parseHex(body.path("report")
                        .asText())).hostData());
            } catch (Exception e) {
                throw new AssertionError("not a report: " + l, e);
            }
        }).toList();
    }

    static String policy(String script) {
        return ConfidentialGroupTest.policy(sh(script), List.of(), IMAGE, TestRegistry.LAYER_HASH.get("socat"));
    }

    static String hostData(String policy) throws Exception {
        return ConfidentialGroupTest.sha256Hex(policy.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void onlyTheGroupsOwnContainersGetAReportForIt() throws Exception {
        String policy = policy(IN_GROUP);
        String hostData = hostData(policy);
        String otherPolicy = policy(ATTACKER);
        String otherHostData = hostData(otherPolicy);
        String victim = "iso-victim-" + RUN;
        String standardGroup = "iso-standard-" + RUN;
        String confidentialGroup = "iso-confidential-" + RUN;
        try (var kafka = new KafkaTestClient(bootstrap, Topics.NODE_EVENTS)) {
            start(kafka, victim, Isolation.CONFIDENTIAL, new ContainerWorkload("app", IMAGE, sh(IN_GROUP),
                    List.of(), 0.2, 0.1), policy);
            String own = awaitLog(victim, "app");
            // where the guest listens on the node: the node's socket table names it, and each attacker tries it
            long uvm = groups.pids(victim).get("uvm");
            String[] argv = Files.readString(Path.of("/proc", Long.toString(uvm), "cmdline")).split("\0");
            String victimSocket = Path.of(argv[argv.length - 1], "attest", "attest.sock").toString();

            // another tenant's standard container on the same node (same network namespace): no report at all
            start(kafka, standardGroup, Isolation.STANDARD, new ContainerWorkload("attacker", IMAGE, sh(ATTACKER),
                    List.of(), 0.2, 0.1), null);
            String standard = awaitLog(standardGroup, "attacker");
            assertThat(standard).contains("tried " + victimSocket);
            assertThat(reportedHostData(standard)).as("reports a standard container obtained").isEmpty();
            assertThat(standard).contains("tcp-reports=0 ", "unix-reports=0", "no /run/parma");

            // another tenant's confidential group: its own endpoint answers it, and only with its own HOST_DATA
            start(kafka, confidentialGroup, Isolation.CONFIDENTIAL, new ContainerWorkload("app", IMAGE, sh(
                    ATTACKER), List.of(), 0.2, 0.1), otherPolicy);
            String confidential = awaitLog(confidentialGroup, "app");
            assertThat(confidential).contains("tried " + victimSocket, "has /run/parma", "tcp-reports=0 ");
            assertThat(reportedHostData(confidential)).as("the HOST_DATA of the reports another group obtained")
                    .isNotEmpty().containsOnly(otherHostData).doesNotContain(hostData);

            // inside the group: the documented socket answered with a report over the container's runtime data
            assertThat(line(own, "status: ")).startsWith("HTTP/1.1 200");
            var body = Json.mapper().readTree(line(own, "body: "));
            var authority = SimAuthority.fromPem(Files.readString(workDir.resolve("sim").resolve("authority.pem")));
            AttestationReport report = ReportVerifier.create(RootStore.amd().with(authority.roots())).verify(
                    HexFormat.of().parseHex(body.path("report").asText()),
                    CertificateChain.fromPem(body.path("vcekCertChain").asText()), Instant.now()).report();
            assertThat(HexFormat.of().formatHex(report.hostData())).isEqualTo(hostData);
            assertThat(HexFormat.of().formatHex(report.reportData()).substring(0, 64))
                    .isEqualTo(ConfidentialGroupTest.sha256Hex(RUNTIME_DATA.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
