package dev.parma.bench.overhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void defaultsFitTheLocalPlatform() {
        var o = Options.parse(new String[0]);
        assertThat(o.reps()).isEqualTo(5);
        assertThat(o.gateway()).isEqualTo("http://127.0.0.1:8080");
        assertThat(o.nodes()).containsExactly("https://127.0.0.1:8091", "https://127.0.0.1:8092");
        assertThat(o.workloads()).hasSize(Workload.suite().size());
        assertThat(o.start()).isTrue();
        assertThat(o.svg().toString()).endsWith("docs/overhead.svg");
    }

    @Test
    void optionsOverrideAndOutputsAreUnderTheRoot() {
        var o = Options.parse(new String[]{"--reps", "12", "--workloads", "gzip,kv", "--no-start", "--root", "/tmp",
                "--csv", "runs.csv"});
        assertThat(o.reps()).isEqualTo(12);
        assertThat(o.workloads()).containsExactly("gzip", "kv");
        assertThat(o.start()).isFalse();
        assertThat(o.csv().toString()).isEqualTo("/tmp/runs.csv");
    }

    @Test
    void refusesWhatCannotGiveAnErrorBarOrDoesNotExist() {
        assertThatThrownBy(() -> Options.parse(new String[]{"--reps", "1"})).hasMessageContaining(">= 2");
        assertThatThrownBy(() -> Options.parse(new String[]{"--workloads", "gzip,nope"}))
                .hasMessageContaining("unknown workload nope");
        assertThatThrownBy(() -> Options.parse(new String[]{"--reps"})).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> Options.parse(new String[]{"--bogus", "1"})).hasMessageContaining("unknown option");
    }
}
