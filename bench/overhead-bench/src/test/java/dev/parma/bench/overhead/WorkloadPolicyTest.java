package dev.parma.bench.overhead;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parma.contracts.Json;
import dev.parma.contracts.node.Isolation;
import dev.parma.policy.model.Policies;
import dev.parma.policy.preflight.Preflight;
import dev.parma.policy.spec.ContainerSpec;
import dev.parma.policy.spec.GroupSpec;
import dev.parma.policy.spec.ImageInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkloadPolicyTest {

    static final ImageInfo BUSYBOX = new ImageInfo("busybox:1.36", Optional.empty(), Optional.of(List.of("sh")),
            List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), Optional.empty(),
            List.of("ab".repeat(32)));

    @Test
    void thePolicyAllowsExactlyTheWorkloadsContainer() {
        var gzip = Workload.suite().get(0);
        var sort = Workload.suite().get(2);
        var cmd = gzip.command("/bin/busybox", 1);
        var policy = Policies.fromBase64(WorkloadPolicy.ccePolicy(BUSYBOX, "gzip", cmd));
        var images = Map.of(BUSYBOX.reference(), BUSYBOX);
        assertThat(Preflight.check(policy, new GroupSpec(List.of(ContainerSpec.of("gzip", "busybox:1.36")
                .withCommand(cmd))), images).allAllowed()).isTrue();
        assertThat(Preflight.check(policy, new GroupSpec(List.of(ContainerSpec.of("gzip", "busybox:1.36")
                .withCommand(sort.command("/bin/busybox", 1)))), images).allAllowed()).isFalse();
    }

    @Test
    void theGroupBodyIsAOneShotTaggedGroup() throws Exception {
        var cmd = List.of("/bin/sh", "-c", "echo \"quoted\"");
        JsonNode std = Json.mapper().readTree(GroupBody.of("gzip", "busybox:1.36", cmd, Isolation.STANDARD, null));
        assertThat(std.at("/tags/workload").asText()).isEqualTo("gzip");
        assertThat(std.at("/properties/sku").asText()).isEqualTo("Standard");
        assertThat(std.at("/properties/restartPolicy").asText()).isEqualTo("Never");
        assertThat(std.at("/properties/confidentialComputeProperties").isMissingNode()).isTrue();
        assertThat(std.at("/properties/containers/0/properties/command/2").asText()).isEqualTo("echo \"quoted\"");
        JsonNode conf = Json.mapper().readTree(GroupBody.of("gzip", "busybox:1.36", cmd, Isolation.CONFIDENTIAL,
                "cG9saWN5"));
        assertThat(conf.at("/properties/sku").asText()).isEqualTo("Confidential");
        assertThat(conf.at("/properties/confidentialComputeProperties/ccePolicy").asText()).isEqualTo("cG9saWN5");
    }
}
