package dev.parma.bench.overhead;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The harness's command line. Every option has a default that fits {@code ./parma} on this machine. */
record Options(int reps, int warmup, List<String> workloads, double scale, String gateway, List<String> nodes,
        String registry, String image, Optional<String> token, boolean start, Path root, Path doc, Path svg, Path csv,
        Optional<Path> fromCsv, boolean writeDocs) {

    static final String USAGE = """
            usage: java -jar bench/overhead-bench/target/overhead-bench.jar [options]   (from the repository root)
              --reps N            measured repetitions per workload and isolation (default 5)
              --warmup N          unmeasured rounds first (default 1; the first confidential run pulls the image)
              --workloads a,b     a subset of: %s
              --scale X           workload size factor (default 1.0)
              --gateway URL       api-gateway (default http://127.0.0.1:8080)
              --nodes URL,URL     node agents whose GET /overhead is read, as the local operator (mutual TLS with
                                  <root>/.run/pki/operator.parma; default https://127.0.0.1:8091 and :8092)
              --registry H:P      the registry the nodes pull from (default 127.0.0.1:5000)
              --image REF         the busybox image (default busybox:1.36)
              --token JWT         tenant token (default $PARMA_TOKEN, else ./parma token)
              --no-start          fail if the platform is not up (default: ./parma start, and ./parma stop after)
              --root DIR          repository root (default .)
              --doc FILE --svg FILE --csv FILE   outputs (default docs/benchmarks.md, docs/overhead.svg,
                                  bench/overhead-bench/target/overhead-runs.csv)
              --from-csv FILE     no runs: rewrite the report from a previous run's CSV
              --no-docs           leave docs/ alone (CSV and console only)
            """.formatted(String.join(",", Workload.suite().stream().map(Workload::name).toList()));

    static Options parse(String[] args) {
        int reps = 5;
        int warmup = 1;
        List<String> workloads = Workload.suite().stream().map(Workload::name).toList();
        double scale = 1.0;
        String gateway = "http://127.0.0.1:8080";
        List<String> nodes = List.of("https://127.0.0.1:8091", "https://127.0.0.1:8092");
        String registry = "127.0.0.1:5000";
        String image = "busybox:1.36";
        Optional<String> token = Optional.ofNullable(System.getenv("PARMA_TOKEN")).filter(t -> !t.isBlank());
        boolean start = true;
        Path root = Path.of(".");
        String doc = "docs/benchmarks.md";
        String svg = "docs/overhead.svg";
        String csv = "bench/overhead-bench/target/overhead-runs.csv";
        Optional<Path> fromCsv = Optional.empty();
        boolean writeDocs = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--no-start" -> start = false;
                case "--no-docs" -> writeDocs = false;
                case "-h", "--help" -> throw new IllegalArgumentException("");
                default -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(a + " needs a value");
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--reps" -> reps = positive(a, v);
                        case "--warmup" -> warmup = Integer.parseInt(v);
                        case "--workloads" -> workloads = Arrays.stream(v.split(",")).map(String::trim).toList();
                        case "--scale" -> scale = Double.parseDouble(v);
                        case "--gateway" -> gateway = v;
                        case "--nodes" -> nodes = Arrays.stream(v.split(",")).map(String::trim).toList();
                        case "--registry" -> registry = v;
                        case "--image" -> image = v;
                        case "--token" -> token = Optional.of(v);
                        case "--root" -> root = Path.of(v);
                        case "--doc" -> doc = v;
                        case "--svg" -> svg = v;
                        case "--csv" -> csv = v;
                        case "--from-csv" -> fromCsv = Optional.of(Path.of(v));
                        default -> throw new IllegalArgumentException("unknown option " + a);
                    }
                }
            }
        }
        var known = Workload.suite().stream().map(Workload::name).toList();
        for (String w : workloads) {
            if (!known.contains(w)) {
                throw new IllegalArgumentException("unknown workload " + w + " (known: " + known + ")");
            }
        }
        if (warmup < 0 || !(scale > 0)) {
            throw new IllegalArgumentException("--warmup must be >= 0 and --scale > 0");
        }
        root = root.toAbsolutePath().normalize();
        return new Options(reps, warmup, workloads, scale, gateway, nodes, registry, image, token, start, root,
                root.resolve(doc), root.resolve(svg), root.resolve(csv), fromCsv, writeDocs);
    }

    private static int positive(String name, String v) {
        int n = Integer.parseInt(v);
        if (n < 2) {
            throw new IllegalArgumentException(name + " must be >= 2 (one run has no error bar), got " + n);
        }
        return n;
    }
}
