package dev.parma.deployment.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parma.contracts.node.ContainerPort;
import dev.parma.contracts.node.ContainerSecurity;
import dev.parma.contracts.node.Isolation;
import dev.parma.contracts.node.Probe;
import dev.parma.contracts.node.Volume;
import dev.parma.contracts.node.VolumeMount;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ARM fields a node needs reach the StartGroup's workload. */
class NodeWorkloadsTest {

    static ContainerGroupEntity group(String properties, String tags) {
        var g = new ContainerGroupEntity();
        g.subscriptionId = "s";
        g.resourceGroup = "rg";
        g.name = "web";
        g.spec = properties;
        g.tags = tags;
        return g;
    }

    @Test
    void portsVolumesMountsAndSecurityContextGoToTheNode() {
        var w = NodeWorkloads.of(group("""
                {"sku":"Standard","restartPolicy":"Never","containers":[{"name":"app","properties":{
                  "image":"busybox:1.36","command":["httpd","-f"],
                  "ports":[{"port":8080},{"port":53,"protocol":"UDP"}],
                  "resources":{"requests":{"cpu":0.5,"memoryInGB":0.5}},
                  "volumeMounts":[{"name":"cfg","mountPath":"/etc/app","readOnly":true},
                                  {"name":"scratch","mountPath":"/scratch"}],
                  "securityContext":{"privileged":false,"allowPrivilegeEscalation":false,
                    "capabilities":{"add":["NET_ADMIN"],"drop":["CHOWN"]},"runAsUser":1000,"runAsGroup":2000}}}],
                 "volumes":[{"name":"cfg","secret":{"token":"czNjcjN0"}},{"name":"scratch","emptyDir":{}}]}""",
                "{\"workload\":\"web-load\"}"));
        assertThat(w.isolation()).isEqualTo(Isolation.STANDARD);
        assertThat(w.workloadName()).isEqualTo("web-load");
        var c = w.containers().get(0);
        assertThat(c.ports()).containsExactly(new ContainerPort(8080, "TCP"), new ContainerPort(53, "UDP"));
        assertThat(c.volumeMounts()).containsExactly(new VolumeMount("cfg", "/etc/app", true),
                new VolumeMount("scratch", "/scratch", false));
        assertThat(c.security()).isEqualTo(new ContainerSecurity(false, false, List.of("NET_ADMIN"),
                List.of("CHOWN"), 1000L, 2000L));
        assertThat(w.volumes()).containsExactly(new Volume("cfg", Volume.Kind.SECRET, Map.of("token", "czNjcjN0")),
                Volume.emptyDir("scratch"));
        assertThat(w.toString()).doesNotContain("czNjcjN0");
    }

    @Test
    void withoutThoseFieldsTheDefaultsApply() {
        var w = NodeWorkloads.of(group("""
                {"containers":[{"name":"app","properties":{"image":"busybox","resources":{"requests":{"cpu":1,
                "memoryInGB":1}}}}]}""", null));
        var c = w.containers().get(0);
        assertThat(c.ports()).isEmpty();
        assertThat(c.volumeMounts()).isEmpty();
        assertThat(c.security()).isEqualTo(ContainerSecurity.DEFAULT);
        assertThat(w.volumes()).isEmpty();
        assertThat(w.workloadName()).isEqualTo("busybox");
        assertThat(c.liveness()).isNull();
        assertThat(c.readiness()).isNull();
    }

    @Test
    void probesGoToTheNodeWithAcisDefaultsForLeftOutTimings() {
        var w = NodeWorkloads.of(group("""
                {"containers":[{"name":"app","properties":{"image":"busybox","resources":{"requests":{"cpu":1,
                "memoryInGB":1}},
                "livenessProbe":{"exec":{"command":["cat","/tmp/healthy"]},"periodSeconds":1,"failureThreshold":2},
                "readinessProbe":{"httpGet":{"path":"/ready","port":8080,"scheme":"https",
                  "httpHeaders":[{"name":"X-Probe","value":"1"}]},"initialDelaySeconds":5,"successThreshold":2,
                  "timeoutSeconds":3}}}]}""", null));
        var c = w.containers().get(0);
        assertThat(c.liveness()).isEqualTo(new Probe(new Probe.Exec(List.of("cat", "/tmp/healthy")), 0, 1, 2, 1,
                1));
        assertThat(c.readiness()).isEqualTo(new Probe(new Probe.HttpGet("/ready", 8080, "https", List.of(
                new Probe.Header("X-Probe", "1"))), 5, 10, 3, 2, 3));
    }
}
