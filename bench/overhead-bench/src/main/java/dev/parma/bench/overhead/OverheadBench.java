package dev.parma.bench.overhead;

import dev.parma.policy.spec.ImageInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The enclave overhead report: runs the workload suite through the running platform as a tenant would (PUT at the
 * api-gateway, standard and confidential groups interleaved, one at a time), takes each run's CPU, wall and policy
 * time from the node agents' {@code GET /overhead}, and writes the table to docs/benchmarks.md and the plot to
 * docs/overhead.svg. See {@link Options#USAGE}; never part of the test suite.
 */
public final class OverheadBench {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private OverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        if (o.fromCsv().isPresent()) {
            var c = RunsCsv.read(o.fromCsv().get());
            report(o, c.runs(), c.conditions());
            return;
        }
        var platform = new Platform(o.root());
        boolean started = false;
        if (!Platform.answers(o.gateway() + "/q/health/ready")) {
            if (!o.start()) {
                throw new IllegalStateException(o.gateway() + " does not answer; start the platform (./parma start)"
                        + " or drop --no-start");
            }
            System.out.println("the platform is not up: ./parma start (stopped again at the end)");
            platform.start();
            started = true;
        }
        try {
            measure(o, platform);
        } finally {
            if (started) {
                platform.stop();
            }
        }
    }

    private static void measure(Options o, Platform platform) throws IOException {
        String token = o.token().isPresent() ? o.token().get() : platform.token();
        Path cache = Files.createTempDirectory("overhead-bench-images");
        ImageInfo image = WorkloadPolicy.imageInfo(o.image(), o.registry(), cache);
        System.out.printf("image %s from %s: layers %s%n", o.image(), o.registry(), image.layerHashes());
        Instant start = Instant.now();
        double loadStart = Platform.loadAverage();
        List<String> conditions = new ArrayList<>(List.of(
                String.format(Locale.ROOT, "Harness: `overhead-bench --reps %d --warmup %d%s`; platform at commit %s"
                        + " started by `./parma` (sim UVM driver, two node agents), image `%s` from the local registry"
                        + " %s.", o.reps(), o.warmup(), o.scale() == 1.0 ? "" : " --scale " + o.scale(),
                        platform.commit(), o.image(), o.registry()),
                "Machine: " + Platform.machine() + "."));
        var csv = new RunsCsv(o.csv(), conditions);
        var runner = new Runner(o, new Tenant(o.gateway(), token),
                new NodeOverhead(o.nodes(), o.root().resolve(".run/pki/operator.parma")), image);
        List<Run> runs = runner.runAll(csv::append);
        Instant end = Instant.now();
        var loads = runner.loads.stream().filter(d -> !Double.isNaN(d)).mapToDouble(Double::doubleValue);
        var stats = loads.summaryStatistics();
        String when = String.format(Locale.ROOT, "Run %s–%s UTC (%d min for %d groups%s); 1-minute load average %.1f"
                + " at the start, %.1f–%.1f during the run.", MINUTE.format(start), CLOCK.format(end),
                Duration.between(start, end).toMinutes(), runner.loads.size(),
                runner.failures.isEmpty() ? "" : ", " + runner.failures.size() + " failed and not counted", loadStart,
                stats.getMin(), stats.getMax());
        conditions.add(0, when);
        csv.comment(when);
        for (String f : runner.failures) {
            csv.comment("failed: " + f);
        }
        System.out.println(when);
        report(o, runs, conditions);
    }

    /** Console summary; unless --no-docs, the generated block of docs/benchmarks.md and the SVG. */
    static void report(Options o, List<Run> runs, List<String> conditions) throws IOException {
        List<Comparison> rows = Comparison.all(runs);
        for (var r : rows) {
            System.out.printf(Locale.ROOT, "%-8s cpu ratio %s  wall ratio %s  extra wall %s ms  policy %s ms%n",
                    r.workload(), MarkdownReport.pm(r.cpuRatio(), 3), MarkdownReport.pm(r.wallRatio(), 3),
                    MarkdownReport.pm(r.wallExtra().times(1000), 1), MarkdownReport.pm(r.policy().times(1000), 2));
        }
        if (!o.writeDocs()) {
            return;
        }
        // the run's time span first (a CSV has it at the end, written when the run finished)
        List<String> lines = java.util.stream.Stream.concat(conditions.stream().filter(c -> c.startsWith("Run ")),
                conditions.stream().filter(c -> !c.startsWith("Run ") && !c.startsWith("failed: "))).toList();
        String svgName = o.doc().getParent().relativize(o.svg()).toString();
        String doc = Files.exists(o.doc()) ? Files.readString(o.doc()) : "# Benchmarks\n";
        Files.writeString(o.doc(), MarkdownReport.splice(doc, MarkdownReport.block(rows, lines, svgName)));
        Files.writeString(o.svg(), plot(rows, lines.isEmpty() ? "" : lines.get(0)));
        System.out.println("wrote " + o.doc() + " and " + o.svg());
    }

    static String plot(List<Comparison> rows, String when) {
        List<String> names = rows.stream().map(Comparison::workload).toList();
        int n = rows.stream().mapToInt(r -> Math.min(r.standardCpu().n(), r.confidentialCpu().n())).min().orElse(0);
        var ratios = new SvgPlot.Panel("Confidential / standard, per run of the container (1.0 = no overhead)",
                "ratio", OptionalDouble.of(1.0), List.of(
                        new SvgPlot.Series("CPU time", "#4878a8", rows.stream().map(Comparison::cpuRatio).toList()),
                        new SvgPlot.Series("wall time", "#e0a040", rows.stream().map(Comparison::wallRatio).toList())));
        var policy = new SvgPlot.Panel(
                "Policy enforcement, separately: guest policy-engine time / confidential wall time",
                "% of wall time", OptionalDouble.empty(), List.of(
                        new SvgPlot.Series("policy enforcement (all of the group's requests)", "#c04848",
                                rows.stream().map(r -> r.policyShare().times(100)).toList())));
        // "Run 2026-11-25 11:02–11:14 UTC (…" → "2026-11-25 11:02–11:14 UTC"
        String date = when.replaceFirst("^Run ", "").replaceFirst("UTC.*", "UTC");
        String sub = String.format(Locale.ROOT, "%d paired runs per workload, error bars 95%% confidence interval;"
                + " %s", n, date);
        return SvgPlot.render("Parma enclave overhead (simulated SEV-SNP UVM)", sub, names, List.of(ratios, policy));
    }
}
