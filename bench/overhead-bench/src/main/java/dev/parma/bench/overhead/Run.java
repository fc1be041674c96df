package dev.parma.bench.overhead;

import dev.parma.contracts.node.Isolation;
import java.util.Objects;

/**
 * One finished run of a workload as a container group. {@code cpuSeconds}, {@code wallSeconds} and
 * {@code policySeconds} are the node agent's own account ({@code GET /overhead}, the delta this run added);
 * {@code viewWallSeconds} is finishTime − startTime of the container's instanceView as the tenant reads it (the
 * cross-check); {@code putToDoneSeconds} is the tenant's PUT until the group read Succeeded, including the UVM launch;
 * {@code uvmCpuSeconds} is the CPU of the group's UVM itself (the node accounts it when the group is deleted; 0 for
 * standard groups, NaN in CSVs written before it was measured).
 */
public record Run(String workload, Isolation isolation, int rep, double cpuSeconds, double wallSeconds,
        double policySeconds, double viewWallSeconds, double putToDoneSeconds, double uvmCpuSeconds) {

    public Run {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(isolation, "isolation");
    }

    static final String CSV_HEADER = "workload,isolation,rep,cpu_s,wall_s,policy_s,view_wall_s,put_to_done_s,uvm_cpu_s";

    /** This run with its UVM's CPU, known only once the group is gone. */
    Run withUvmCpu(double seconds) {
        return new Run(workload, isolation, rep, cpuSeconds, wallSeconds, policySeconds, viewWallSeconds,
                putToDoneSeconds, seconds);
    }

    String csv() {
        return String.join(",", workload, isolation.name().toLowerCase(java.util.Locale.ROOT), Integer.toString(rep),
                Double.toString(cpuSeconds), Double.toString(wallSeconds), Double.toString(policySeconds),
                Double.toString(viewWallSeconds), Double.toString(putToDoneSeconds), Double.toString(uvmCpuSeconds));
    }

    /** A CSV line; one from before the UVM column has NaN there. */
    static Run parseCsv(String line) {
        String[] f = line.split(",");
        return new Run(f[0], Isolation.valueOf(f[1].toUpperCase(java.util.Locale.ROOT)), Integer.parseInt(f[2]),
                Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                Double.parseDouble(f[6]), Double.parseDouble(f[7]),
                f.length > 8 ? Double.parseDouble(f[8]) : Double.NaN);
    }
}
