package dev.parma.contracts.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parma.contracts.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadSecretsTest {

    final GroupWorkload workload = new GroupWorkload("/subscriptions/s/resourceGroups/r/providers/"
            + "Microsoft.ContainerInstance/containerGroups/g", Isolation.STANDARD, "Always",
            List.of(new ContainerWorkload("app", "busybox", List.of("sh"), List.of(new EnvVar("PLAIN", "p", false),
                    new EnvVar("TOKEN", "hunter2", true)), 1, 1, null, null, null, null, null)),
            null, null, null, List.of(new Volume("certs", Volume.Kind.SECRET, Map.of("key.pem", "c2VjcmV0")),
                    Volume.emptyDir("scratch")));

    @Test
    void theWireFormCarriesNoSecretAndFillingRestoresThem() throws Exception {
        var secrets = WorkloadSecrets.of(workload);
        var stripped = WorkloadSecrets.withoutSecrets(workload);
        String wire = Json.mapper().writeValueAsString(new StartGroup("c1", "g1", 1, stripped, "sealed"));
        assertThat(wire).doesNotContain("hunter2").doesNotContain("c2VjcmV0").contains("TOKEN").contains("key.pem");
        var json = Json.mapper().writeValueAsString(secrets);
        var back = Json.mapper().readValue(json, WorkloadSecrets.class);
        assertThat(back.fill(stripped)).isEqualTo(workload);
        assertThat(secrets.toString()).doesNotContain("hunter2");
    }

    @Test
    void aBoxWithoutAValueTheWorkloadNeedsIsRefused() {
        var stripped = WorkloadSecrets.withoutSecrets(workload);
        assertThatThrownBy(() -> new WorkloadSecrets(Map.of(), Map.of()).fill(stripped))
                .hasMessageContaining("secure value of app 'TOKEN'");
        assertThat(WorkloadSecrets.of(stripped.containers().isEmpty()
                ? workload
                : new GroupWorkload(
                        workload.resourceId(), Isolation.STANDARD, "Always",
                        List.of(new ContainerWorkload("a", "i", null,
                                List.of(new EnvVar("X", "y", false)), 1, 1, null, null, null, null, null)),
                        null, null)))
                .matches(WorkloadSecrets::isEmpty);
    }
}
