package dev.parma.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parma.contracts.events.CloudEvent;
import dev.parma.contracts.events.EventTypes;
import dev.parma.contracts.events.PolicyDenial;
import dev.parma.contracts.node.ContainerState;
import dev.parma.contracts.node.ContainerStatus;
import dev.parma.contracts.node.ContainerWorkload;
import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.EnvVar;
import dev.parma.contracts.node.GroupRuntimeState;
import dev.parma.contracts.node.GroupStatus;
import dev.parma.contracts.node.GroupWorkload;
import dev.parma.contracts.node.InstanceEvent;
import dev.parma.contracts.node.Isolation;
import dev.parma.contracts.node.NodeCommand;
import dev.parma.contracts.node.NodeEvent;
import dev.parma.contracts.node.StartGroup;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContractsJsonTest {

    private static final Instant T = Instant.parse("2026-11-25T08:00:00Z");

    private static StartGroup start() {
        var container = new ContainerWorkload("web", "busybox:1.36", List.of("sleep", "60"),
                List.of(new EnvVar("MODE", "demo", false), new EnvVar("TOKEN", "s3cr3t", true)), 1.0, 1.5);
        return new StartGroup("c-1", "g-1", 3,
                new GroupWorkload(
                        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/g",
                        Isolation.STANDARD, "Always", List.of(container), null, null));
    }

    @Test
    void commandsRoundTripWithVersionedTypeNames() throws Exception {
        var json = Json.mapper().writeValueAsString(start());
        assertThat(json).contains("\"type\":\"StartGroup.v1\"");
        assertThat(Json.mapper().readValue(json, NodeCommand.class)).isEqualTo(start());

        NodeCommand delete = new DeleteGroup("c-2", "g-1", 4);
        var back = Json.mapper().readValue(Json.mapper().writeValueAsString(delete), NodeCommand.class);
        assertThat(back).isInstanceOf(DeleteGroup.class).isEqualTo(delete);
    }

    @Test
    void eventsRoundTripAndTolerateUnknownFields() throws Exception {
        NodeEvent status = new GroupStatus("e-1", "node-a", "g-1", 3, GroupRuntimeState.Running,
                List.of(new ContainerStatus("web", ContainerState.running(T), null, 0)),
                List.of(InstanceEvent.normal("web", "Started", "Started container", T)), T);
        var json = Json.mapper().writeValueAsString(status);
        assertThat(json).contains("\"occurredAt\":\"2026-11-25T08:00:00Z\"");
        var withExtra = json.replaceFirst("\\{", "{\"addedInV2\":true,");
        assertThat(Json.mapper().readValue(withExtra, NodeEvent.class)).isEqualTo(status);
    }

    @Test
    void aPolicyDenialRoundTripsWithItsSourceInLowercase() throws Exception {
        var denial = new PolicyDenial(T, "s", "/subscriptions/s/x", "g-1", "web", "mount_device", "layer 0",
                PolicyDenial.Source.GUEST, "node-a");
        var json = Json.mapper().writeValueAsString(CloudEvent.of("node:e-1:0", EventTypes.POLICY_DENIED, "/x", T,
                denial));
        assertThat(json).contains("\"source\":\"guest\"").contains("\"type\":\"" + EventTypes.POLICY_DENIED);
        var back = Json.mapper().readTree(json).path("data");
        assertThat(Json.mapper().treeToValue(back, PolicyDenial.class)).isEqualTo(denial);
        assertThat(Json.mapper().writeValueAsString(new PolicyDenial(T, "s", "/x", "g-1", null, "preflight", "r",
                PolicyDenial.Source.PREFLIGHT, null))).contains("\"source\":\"preflight\"").doesNotContain("nodeId");
    }

    @Test
    void secureValuesNeverPrint() {
        assertThat(start().toString()).doesNotContain("s3cr3t").contains("<redacted>").contains("demo");
    }

    @Test
    void nodeTopicsAreValidatedDnsLabels() {
        assertThat(Topics.nodeCommands("node-a")).isEqualTo("parma.node.node-a.commands");
        assertThatThrownBy(() -> Topics.nodeCommands("Node_A")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Topics.nodeCommands("-a")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void workloadSumsRequestedResources() {
        var c = start().workload().containers().get(0);
        var w = new GroupWorkload("/x", Isolation.STANDARD, null, List.of(c, c), null, null);
        assertThat(w.requestedCpu()).isEqualTo(2.0);
        assertThat(w.requestedMemoryInGB()).isEqualTo(3.0);
        assertThatThrownBy(() -> new GroupWorkload("/x", Isolation.STANDARD, null, List.of(), null, null))
                .hasMessageContaining("at least one container");
    }
}
