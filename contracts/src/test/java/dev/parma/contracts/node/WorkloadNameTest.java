package dev.parma.contracts.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parma.contracts.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadNameTest {

    static GroupWorkload of(String image, String tag) {
        return new GroupWorkload("/x", Isolation.STANDARD, null,
                List.of(new ContainerWorkload("c", image, List.of(), List.of(), 1, 1)), null, null, tag);
    }

    @Test
    void theWorkloadTagWinsElseTheFirstImagesRepository() {
        assertThat(of("busybox:1.36", "gzip").workloadName()).isEqualTo("gzip");
        assertThat(of("busybox:1.36", " ").workloadName()).isEqualTo("busybox");
        assertThat(of("busybox", null).workloadName()).isEqualTo("busybox");
        assertThat(of("library/busybox:1.36", null).workloadName()).isEqualTo("busybox");
        assertThat(of("127.0.0.1:5000/library/busybox@sha256:" + "a".repeat(64), null).workloadName())
                .isEqualTo("busybox");
        assertThat(of("mcr.microsoft.com/azuredocs/aci-helloworld:latest", null).workloadName())
                .isEqualTo("azuredocs/aci-helloworld");
        assertThat(of("localhost/app", null).workloadName()).isEqualTo("app");
    }

    @Test
    void aWorkloadWithoutTheFieldStillReads() throws Exception {
        var json = Json.mapper().writeValueAsString(of("busybox:1.36", null));
        assertThat(json).doesNotContain("\"workload\"");
        assertThat(Json.mapper().readValue(json, GroupWorkload.class)).isEqualTo(of("busybox:1.36", null));
        var tagged = of("busybox:1.36", "sort");
        assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(tagged), GroupWorkload.class))
                .isEqualTo(tagged);
    }
}
