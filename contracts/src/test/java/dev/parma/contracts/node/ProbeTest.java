package dev.parma.contracts.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parma.contracts.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Probes on the node's wire: ACI's defaults, both actions round trip, a container without probes reads as before. */
class ProbeTest {

    @Test
    void leftOutTimingsTakeAcisDefaults() {
        var p = new Probe(new Probe.Exec(List.of("cat", "/tmp/healthy")));
        assertThat(p.initialDelaySeconds()).isZero();
        assertThat(p.periodSeconds()).isEqualTo(10);
        assertThat(p.failureThreshold()).isEqualTo(3);
        assertThat(p.successThreshold()).isEqualTo(1);
        assertThat(p.timeoutSeconds()).isEqualTo(1);
        var h = new Probe.HttpGet(null, 8080, null, null);
        assertThat(h.path()).isEqualTo("/");
        assertThat(h.scheme()).isEqualTo("http");
        assertThat(new Probe.HttpGet("healthz", 8080, "HTTPS", null)).satisfies(g -> {
            assertThat(g.path()).isEqualTo("/healthz");
            assertThat(g.scheme()).isEqualTo("https");
        });
        assertThatThrownBy(() -> new Probe.HttpGet("/", 0, null, null)).hasMessageContaining("port");
        assertThatThrownBy(() -> new Probe.Exec(List.of())).hasMessageContaining("command");
    }

    @Test
    void bothActionsRoundTrip() throws Exception {
        var c = new ContainerWorkload("web", "busybox", List.of("httpd"), List.of(), 1, 1, null, null, null,
                new Probe(new Probe.Exec(List.of("cat", "/tmp/healthy")), 5, 1, 2, 1, 3),
                new Probe(new Probe.HttpGet("/ready", 8080, "http", List.of(new Probe.Header("X-Probe", "1")))));
        var json = Json.mapper().writeValueAsString(c);
        assertThat(json).contains("\"type\":\"exec\"").contains("\"type\":\"httpGet\"");
        assertThat(Json.mapper().readValue(json, ContainerWorkload.class)).isEqualTo(c);
    }

    @Test
    void aContainerWithoutProbesHasNone() throws Exception {
        var c = Json.mapper().readValue("{\"name\":\"a\",\"image\":\"busybox\",\"cpu\":1,\"memoryInGB\":1}",
                ContainerWorkload.class);
        assertThat(c.liveness()).isNull();
        assertThat(c.readiness()).isNull();
    }
}
