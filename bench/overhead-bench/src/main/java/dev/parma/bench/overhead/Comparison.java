package dev.parma.bench.overhead;

import dev.parma.contracts.node.Isolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * A workload's confidential runs against its standard runs. Ratios and differences are taken per repetition (run r
 * confidential against run r standard, which ran next to each other), so slow drift of the machine cancels; their
 * mean (geometric for ratios) and 95% interval are over the repetitions. {@code uvmCpu} is the confidential runs' UVM
 * CPU (the guest itself), which no standard run has.
 */
public record Comparison(String workload, Summary standardCpu, Summary confidentialCpu, Summary standardWall,
        Summary confidentialWall, Summary cpuRatio, Summary wallRatio, Summary wallExtra, Summary policy,
        Summary policyShare, Summary standardPutToDone, Summary confidentialPutToDone, Summary uvmCpu,
        double maxViewSkew) {

    public static Comparison of(String workload, List<Run> runs) {
        Map<Integer, Run> std = byRep(runs, workload, Isolation.STANDARD);
        Map<Integer, Run> conf = byRep(runs, workload, Isolation.CONFIDENTIAL);
        List<Run[]> pairs = new ArrayList<>();
        std.forEach((rep, s) -> Optional.ofNullable(conf.get(rep)).ifPresent(c -> pairs.add(new Run[]{s, c})));
        double skew = 0;
        for (var r : runs) {
            if (r.workload().equals(workload) && !Double.isNaN(r.viewWallSeconds())) {
                skew = Math.max(skew, Math.abs(r.viewWallSeconds() - r.wallSeconds()));
            }
        }
        return new Comparison(workload,
                summary(std.values(), Run::cpuSeconds), summary(conf.values(), Run::cpuSeconds),
                summary(std.values(), Run::wallSeconds), summary(conf.values(), Run::wallSeconds),
                Summary.geometric(pairs.stream().map(p -> p[1].cpuSeconds() / p[0].cpuSeconds()).toList()),
                Summary.geometric(pairs.stream().map(p -> p[1].wallSeconds() / p[0].wallSeconds()).toList()),
                Summary.of(pairs.stream().map(p -> p[1].wallSeconds() - p[0].wallSeconds()).toList()),
                summary(conf.values(), Run::policySeconds),
                summary(conf.values(), r -> r.policySeconds() / r.wallSeconds()),
                summary(std.values(), Run::putToDoneSeconds), summary(conf.values(), Run::putToDoneSeconds),
                Summary.of(conf.values().stream().map(Run::uvmCpuSeconds).filter(s -> !Double.isNaN(s)).toList()),
                skew);
    }

    /** One comparison per workload, in the order the workloads first appear in {@code runs}. */
    public static List<Comparison> all(List<Run> runs) {
        return runs.stream().map(Run::workload).distinct().map(w -> of(w, runs)).toList();
    }

    private static Map<Integer, Run> byRep(List<Run> runs, String workload, Isolation isolation) {
        return runs.stream().filter(r -> r.workload().equals(workload) && r.isolation() == isolation)
                .collect(Collectors.toMap(Run::rep, r -> r, (a, b) -> b, TreeMap::new));
    }

    private static Summary summary(java.util.Collection<Run> runs, ToDoubleFunction<Run> f) {
        return Summary.of(runs.stream().map(r -> f.applyAsDouble(r)).toList());
    }
}
