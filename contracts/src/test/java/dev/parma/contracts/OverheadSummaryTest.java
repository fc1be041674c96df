package dev.parma.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.parma.contracts.node.Isolation;
import dev.parma.contracts.node.OverheadSummary;
import dev.parma.contracts.node.OverheadSummary.Row;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverheadSummaryTest {

    /** Runs of 1, 2 and 3 CPU seconds: mean 2, sample standard deviation 1. */
    private static Row row(double... cpu) {
        double sum = 0;
        double sq = 0;
        for (double c : cpu) {
            sum += c;
            sq += c * c;
        }
        return new Row("gzip", Isolation.CONFIDENTIAL, cpu.length, sum, sq, sum * 2, sq * 4, 0.01 * cpu.length);
    }

    @Test
    void meanAndSampleStandardDeviationFromSums() {
        var r = row(1, 2, 3);
        assertThat(r.meanCpuSeconds()).isCloseTo(2.0, within(1e-12));
        assertThat(r.stddevCpuSeconds()).isCloseTo(1.0, within(1e-12));
        assertThat(r.meanWallSeconds()).isCloseTo(4.0, within(1e-12));
        assertThat(r.stddevWallSeconds()).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void nodesAddUpToTheSameStatisticsAsOneNode() {
        var merged = row(1).plus(row(2, 3));
        assertThat(merged.runs()).isEqualTo(3);
        assertThat(merged.stddevCpuSeconds()).isCloseTo(1.0, within(1e-12));
        assertThat(merged.policySeconds()).isCloseTo(0.03, within(1e-12));
        var uvm = new Row("gzip", Isolation.CONFIDENTIAL, 1, 1, 1, 2, 4, 0.01, 0.25);
        assertThat(uvm.plus(uvm).uvmCpuSeconds()).isCloseTo(0.5, within(1e-12));
        assertThat(uvm.plus(uvm).meanUvmCpuSeconds()).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void fewerThanTwoRunsHaveNoSpread() {
        assertThat(row(5).stddevCpuSeconds()).isZero();
        assertThat(new Row("x", Isolation.STANDARD, 0, 0, 0, 0, 0, 0).meanCpuSeconds()).isZero();
    }

    @Test
    void roundTripsAsJson() throws Exception {
        var s = new OverheadSummary("node-1", List.of(row(1, 2)));
        var json = Json.mapper().writeValueAsString(s);
        assertThat(Json.mapper().readValue(json, OverheadSummary.class)).isEqualTo(s);
        assertThat(json).contains("\"uvmCpuSeconds\":0.0");
    }

    @Test
    void aSummaryFromANodeThatPredatesUvmCpuReadsAsZero() throws Exception {
        String old = "{\"nodeId\":\"n\",\"rows\":[{\"workload\":\"gzip\",\"isolation\":\"CONFIDENTIAL\","
                + "\"runs\":2,\"cpuSeconds\":3.0,\"cpuSecondsSquared\":5.0,\"wallSeconds\":4.0,"
                + "\"wallSecondsSquared\":8.0,\"policySeconds\":0.01}]}";
        var row = Json.mapper().readValue(old, OverheadSummary.class).rows().get(0);
        assertThat(row.runs()).isEqualTo(2);
        assertThat(row.policySeconds()).isEqualTo(0.01);
        assertThat(row.uvmCpuSeconds()).isZero();
    }
}
