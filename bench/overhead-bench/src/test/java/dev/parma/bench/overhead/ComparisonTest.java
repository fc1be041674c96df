package dev.parma.bench.overhead;

import static dev.parma.contracts.node.Isolation.CONFIDENTIAL;
import static dev.parma.contracts.node.Isolation.STANDARD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.parma.contracts.node.Isolation;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    static Run run(String w, Isolation iso, int rep, double cpu, double wall, double policy) {
        return new Run(w, iso, rep, cpu, wall, policy, wall + 0.002, wall + 1,
                iso == Isolation.CONFIDENTIAL ? 0.3 + rep * 0.1 : 0);
    }

    @Test
    void ratiosArePairedByRepetition() {
        // drift: round 1 is twice as slow for both; paired ratios stay exactly 1.1
        var runs = List.of(run("gzip", STANDARD, 0, 1.0, 1.0, 0), run("gzip", CONFIDENTIAL, 0, 1.1, 1.1, 0.001),
                run("gzip", CONFIDENTIAL, 1, 2.2, 2.2, 0.003), run("gzip", STANDARD, 1, 2.0, 2.0, 0));
        var c = Comparison.of("gzip", runs);
        assertThat(c.cpuRatio().n()).isEqualTo(2);
        assertThat(c.cpuRatio().mean()).isCloseTo(1.1, within(1e-12));
        assertThat(c.cpuRatio().stddev()).isCloseTo(0, within(1e-12));
        assertThat(c.wallExtra().mean()).isCloseTo(0.15, within(1e-12));
        assertThat(c.policy().mean()).isCloseTo(0.002, within(1e-12));
        assertThat(c.standardCpu().mean()).isCloseTo(1.5, within(1e-12));
        assertThat(c.maxViewSkew()).isCloseTo(0.002, within(1e-9));
        assertThat(c.uvmCpu().n()).as("confidential runs only").isEqualTo(2);
        assertThat(c.uvmCpu().mean()).isCloseTo(0.35, within(1e-12));
    }

    @Test
    void aRepetitionWithoutItsPartnerCountsAloneButNotInTheRatios() {
        var runs = List.of(run("sort", STANDARD, 0, 1.0, 1.0, 0), run("sort", CONFIDENTIAL, 0, 1.2, 1.2, 0),
                run("sort", STANDARD, 1, 1.0, 1.0, 0), run("sort", STANDARD, 2, 1.0, 1.0, 0),
                run("sort", CONFIDENTIAL, 2, 1.4, 1.4, 0), run("other", STANDARD, 1, 9, 9, 0));
        var c = Comparison.of("sort", runs);
        assertThat(c.standardCpu().n()).isEqualTo(3);
        assertThat(c.confidentialCpu().n()).isEqualTo(2);
        assertThat(c.cpuRatio().n()).isEqualTo(2);
        assertThat(c.cpuRatio().mean()).isCloseTo(Math.sqrt(1.2 * 1.4), within(1e-12)); // geometric
    }

    @Test
    void oneComparisonPerWorkloadInRunOrder() {
        var runs = List.of(run("b", STANDARD, 0, 1, 1, 0), run("a", STANDARD, 0, 1, 1, 0),
                run("b", CONFIDENTIAL, 0, 1, 1, 0));
        assertThat(Comparison.all(runs)).extracting(Comparison::workload).containsExactly("b", "a");
    }

    @Test
    void runsSurviveTheCsv() {
        var r = run("kv", CONFIDENTIAL, 3, 1.25, 1.5, 0.000125);
        assertThat(Run.parseCsv(r.csv())).isEqualTo(r);
    }

    @Test
    void aCsvFromBeforeTheUvmColumnReadsWithoutUvmCpu() {
        var r = Run.parseCsv("kv,confidential,3,1.25,1.5,1.25E-4,1.502,2.5");
        assertThat(r.cpuSeconds()).isEqualTo(1.25);
        assertThat(r.uvmCpuSeconds()).isNaN();
        assertThat(Comparison.of("kv", List.of(r)).uvmCpu().n()).isZero();
    }
}
