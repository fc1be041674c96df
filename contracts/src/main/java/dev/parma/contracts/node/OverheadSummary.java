package dev.parma.contracts.node;

import java.util.List;
import java.util.Objects;

/**
 * A node agent's account of what its finished containers cost, per workload and isolation, served as JSON at the
 * node's {@code GET /overhead}. The control plane merges the nodes' summaries for the SRE page; the overhead bench
 * reads the same numbers. A workload is the group's {@code workload} tag, or else the container's image
 * repository.
 */
public record OverheadSummary(String nodeId, List<Row> rows) {

    public OverheadSummary {
        Objects.requireNonNull(nodeId, "nodeId");
        rows = rows == null ? List.of() : List.copyOf(rows);
    }

    /**
     * One workload under one isolation. Sums (not means) so that summaries of several nodes add up; the square sums
     * give the standard deviation. {@code policySeconds} is the guest's time inside the policy engine and
     * {@code uvmCpuSeconds} the CPU time of the UVMs themselves (the guest, not its containers), each counted when
     * its group ended; both 0 for standard groups, and 0 in summaries from nodes that predate them.
     */
    public record Row(
            String workload,
            Isolation isolation,
            long runs,
            double cpuSeconds,
            double cpuSecondsSquared,
            double wallSeconds,
            double wallSecondsSquared,
            double policySeconds,
            double uvmCpuSeconds) {

        public Row {
            Objects.requireNonNull(workload, "workload");
            Objects.requireNonNull(isolation, "isolation");
        }

        /** A row without UVM CPU (standard groups, and callers that do not measure it). */
        public Row(String workload, Isolation isolation, long runs, double cpuSeconds, double cpuSecondsSquared,
                double wallSeconds, double wallSecondsSquared, double policySeconds) {
            this(workload, isolation, runs, cpuSeconds, cpuSecondsSquared, wallSeconds, wallSecondsSquared,
                    policySeconds, 0);
        }

        public double meanCpuSeconds() {
            return runs == 0 ? 0 : cpuSeconds / runs;
        }

        public double meanWallSeconds() {
            return runs == 0 ? 0 : wallSeconds / runs;
        }

        /** The UVMs' own CPU per container run (a one-container group that runs once: its UVM's CPU). */
        public double meanUvmCpuSeconds() {
            return runs == 0 ? 0 : uvmCpuSeconds / runs;
        }

        /** Sample standard deviation of CPU seconds per run (0 below two runs). */
        public double stddevCpuSeconds() {
            return stddev(runs, cpuSeconds, cpuSecondsSquared);
        }

        public double stddevWallSeconds() {
            return stddev(runs, wallSeconds, wallSecondsSquared);
        }

        /** This row and another of the same workload and isolation, added. */
        public Row plus(Row o) {
            return new Row(workload, isolation, runs + o.runs, cpuSeconds + o.cpuSeconds,
                    cpuSecondsSquared + o.cpuSecondsSquared, wallSeconds + o.wallSeconds,
                    wallSecondsSquared + o.wallSecondsSquared, policySeconds + o.policySeconds,
                    uvmCpuSeconds + o.uvmCpuSeconds);
        }

        private static double stddev(long n, double sum, double squares) {
            if (n < 2) {
                return 0;
            }
            double var = (squares - sum * sum / n) / (n - 1);
            return var <= 0 ? 0 : Math.sqrt(var);
        }
    }
}
