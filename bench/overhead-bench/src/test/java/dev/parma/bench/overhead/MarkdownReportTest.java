package dev.parma.bench.overhead;

import static dev.parma.bench.overhead.ComparisonTest.run;
import static dev.parma.contracts.node.Isolation.CONFIDENTIAL;
import static dev.parma.contracts.node.Isolation.STANDARD;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {

    static final List<Run> RUNS = List.of(run("gzip", STANDARD, 0, 1.0, 1.0, 0),
            run("gzip", CONFIDENTIAL, 0, 1.1, 1.2, 0.0004), run("gzip", STANDARD, 1, 1.0, 1.0, 0),
            run("gzip", CONFIDENTIAL, 1, 1.3, 1.4, 0.0006));

    @Test
    void theBlockHasTheConditionsARowPerWorkloadAndThePlot() {
        String block = MarkdownReport.block(Comparison.all(RUNS), List.of("Run at noon."), "overhead.svg");
        assertThat(block).startsWith(MarkdownReport.BEGIN).endsWith(MarkdownReport.END).contains("Run at noon.")
                .contains("![confidential / standard per workload](overhead.svg)");
        // confidential CPU 1.1 and 1.3: mean 1.2, t(1 df) = 12.706, sd 0.1414 → ± 1.271; the ratio is geometric:
        // √(1.1 · 1.3) = 1.196, interval exp(mean(ln) ± 12.706 · sd(ln) / √2) = 0.414–3.456
        assertThat(block).contains("| gzip | 1.000 ± 0.000 | 1.200 ± 1.271 | **1.196 (0.414–3.456)** |");
        // policy 0.4 and 0.6 ms, then UVM CPU 0.3 and 0.4 s (mean 0.35, sd 0.0707 → ± 0.635); 2 runs of each
        assertThat(block).contains("| UVM CPU s/run |").contains("| 0.50 ± 1.27 |")
                .contains(" % | 0.350 ± 0.635 |")
                .contains("| 2 / 2 |");
    }

    @Test
    void splicingReplacesOnlyTheGeneratedBlock() {
        String doc = "# Benchmarks\n\n## overhead\n\nhand-written before\n\n" + MarkdownReport.BEGIN + "\nold\n"
                + MarkdownReport.END + "\n\nhand-written after\n\n## next\n";
        String block = MarkdownReport.block(Comparison.all(RUNS), List.of("new run"), "overhead.svg");
        String once = MarkdownReport.splice(doc, block);
        assertThat(once).contains("hand-written before").contains("hand-written after").contains("## next")
                .contains("new run").doesNotContain("\nold\n");
        assertThat(MarkdownReport.splice(once, block)).isEqualTo(once);
    }

    @Test
    void aDocWithoutTheBlockGetsASection() {
        String block = MarkdownReport.block(Comparison.all(RUNS), List.of(), "overhead.svg");
        String out = MarkdownReport.splice("# Benchmarks\n\n## snp\n", block);
        assertThat(out).startsWith("# Benchmarks\n\n## snp\n").contains("\n## overhead\n\n" + MarkdownReport.BEGIN);
    }
}
