package dev.parma.contracts.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parma.contracts.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ports, volumes, mounts and security contexts on the node's wire: round trip, old form, secrets never printed. */
class WorkloadFieldsTest {

    static StartGroup start() {
        var c = new ContainerWorkload("web", "busybox:1.36", List.of("httpd"), List.of(), 1, 1,
                List.of(new ContainerPort(8080, "tcp")), List.of(new VolumeMount("cfg", "/etc/app", true)),
                new ContainerSecurity(false, false, List.of("NET_ADMIN"), List.of("CHOWN"), 1000L, 1000L));
        return new StartGroup("c", "g", 1, new GroupWorkload("/x", Isolation.STANDARD, null, List.of(c), null, null,
                null, List.of(new Volume("cfg", Volume.Kind.SECRET, Map.of("token", "czNjcjN0LXZhbHVl")),
                        Volume.emptyDir("scratch"))));
    }

    @Test
    void theFieldsRoundTripAndSecretContentsNeverPrint() throws Exception {
        var json = Json.mapper().writeValueAsString(start());
        assertThat(Json.mapper().readValue(json, NodeCommand.class)).isEqualTo(start());
        assertThat(start().workload().containers().get(0).ports().get(0).protocol()).isEqualTo("TCP");
        assertThat(start().toString()).doesNotContain("czNjcjN0LXZhbHVl").contains("token").contains("redacted");
        assertThat(start().workload().volume("scratch")).hasValueSatisfying(v -> assertThat(v.kind())
                .isEqualTo(Volume.Kind.EMPTY_DIR));
    }

    @Test
    void aContainerWithoutTheNewFieldsReadsWithDefaults() throws Exception {
        var old = "{\"name\":\"a\",\"image\":\"busybox\",\"cpu\":1,\"memoryInGB\":1}";
        var c = Json.mapper().readValue(old, ContainerWorkload.class);
        assertThat(c.ports()).isEmpty();
        assertThat(c.volumeMounts()).isEmpty();
        assertThat(c.security()).isEqualTo(ContainerSecurity.DEFAULT);
        var g = Json.mapper().readValue("{\"resourceId\":\"/x\",\"isolation\":\"STANDARD\",\"containers\":[" + old
                + "]}", GroupWorkload.class);
        assertThat(g.volumes()).isEmpty();
    }
}
