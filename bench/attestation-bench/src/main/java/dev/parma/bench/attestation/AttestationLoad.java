package dev.parma.bench.attestation;

import dev.parma.snp.abi.Product;
import dev.parma.snp.sim.SimAuthority;
import dev.parma.snp.testkit.TestAuthorities;
import dev.parma.snp.trust.Pem;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Load generator for POST /attest/SevSnpVm. Starts the packaged attestation-service as a child process (trusting a
 * freshly generated simulator root), measures the in-JVM floor (one P-384 verify + one RS256 sign, on every core),
 * then (1) the maximum token rate with closed-loop connections and (2) latency percentiles with an open-loop schedule
 * at half that rate (latency counted from each request's scheduled start, so a stall is not hidden). The HTTP client
 * is {@link RawHttpLoad}: precomputed request bytes on keep-alive connections, one selector thread, so the generator
 * takes little of the cores it shares with the service.
 *
 * <pre>
 * java -jar bench/attestation-bench/target/attestation-bench.jar [--seconds 20] [--warmup 30] [--clients 6]
 *      [--connections 64] [--rate N (open loop; default half the measured max)]
 *      [--service attestation-service/target/quarkus-app/quarkus-run.jar] [--db jdbc:postgresql://127.0.0.1:5432/parma_bench_attestation (create it empty first)]
 *      [--service-jvm-args "-XX:StartFlightRecording=filename=s.jfr,settings=profile"] [--slow-log slow.txt]
 *      [--compare-jdk-client true (then the same open loop with the first benchmark's generator)]
 * </pre>
 */
public final class AttestationLoad {
    static final String VM_LOG = "attestation-service-vm.log";

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        int seconds = Integer.parseInt(opt.getOrDefault("seconds", "20"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "10"));
        int clients = Integer.parseInt(opt.getOrDefault("clients", "6"));
        int connections = Integer.parseInt(opt.getOrDefault("connections", "64"));
        int cores = Runtime.getRuntime().availableProcessors();
        Path service = Path.of(opt.getOrDefault("service", "attestation-service/target/quarkus-app/quarkus-run.jar"));
        // its own database: the service seals keys under a fresh master key per run, which cannot open older rows
        String db = opt.getOrDefault("db", "jdbc:postgresql://127.0.0.1:5432/parma_bench_attestation");
        Path work = Path.of(opt.getOrDefault("work", "bench/attestation-bench/target"));
        Files.createDirectories(work);

        System.out.printf(Locale.ROOT, "cores=%d, java=%s, load average at start=%s%n", cores, System.getProperty(
                "java.version"), loadAverage());
        SimAuthority authority = SimAuthority.generate(Product.MILAN, TestAuthorities.NOT_BEFORE, false,
                new SecureRandom());
        Path roots = work.resolve("bench-simulator-roots.pem");
        Files.writeString(roots, Pem.encode(List.of(authority.ark(), authority.ask())));
        List<String> bodies = Evidence.bodies(authority, 16);

        if (opt.containsKey("rate") && "true".equals(opt.get("latency-only"))) {
            latencyOnly(opt, service, roots, db, work, bodies, clients, connections, warmup, seconds);
            return;
        }
        System.out.println("measuring the floor (service idle)…");
        Floor floorBench = new Floor();
        Floor.Result floor = floorBench.measure(5, cores);
        Floor.Op floorTask = floorBench.token(floor);
        System.out.printf(Locale.ROOT, "floor: P-384 verify BC %.0f/s, SunEC %.0f/s (fastest: %s); RS256 sign %.0f/s;"
                + " verify+sign %.0f/s on 1 thread, %.0f/s on %d threads%n", floor.bcVerify(), floor.sunEcVerify(),
                floor.fastestVerify(), floor.rs256Sign(), floor.perCore(), floor.allCores(), cores);

        // the service's own token path in this JVM, interleaved with the floor so both see the same neighbours
        Pipeline pipeline = new Pipeline(authority, bodies);
        Floor.rate(pipeline::token, cores, Math.min(warmup, 5));
        double[] inJvm = new double[3];
        double[] floors = new double[3];
        double inJvmCpu = Double.MAX_VALUE;
        double floorCpu = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            Floor.Rate f = Floor.measureRate(floorTask, cores, 4);
            Floor.Rate p = Floor.measureRate(pipeline::token, cores, 4);
            floors[i] = f.perSecond();
            inJvm[i] = p.perSecond();
            floorCpu = Math.min(floorCpu, f.cpuMsPerOp());
            inJvmCpu = Math.min(inJvmCpu, p.cpuMsPerOp());
        }
        double inJvmBest = Arrays.stream(inJvm).max().orElseThrow();
        double floorBest = Arrays.stream(floors).max().orElseThrow();
        System.out.printf(Locale.ROOT, "in-JVM token path (parse, verify, claims, RS256) on %d threads: %s tokens/s;"
                + " floor in the same slots: %s/s; best vs best = %.0f%%%n", cores, rates(inJvm), rates(floors),
                100
                        * inJvmBest / floorBest);
        System.out.printf(Locale.ROOT, "CPU per token (thread CPU time, best of 3): token path %.3f ms, floor %.3f ms"
                + " = %.0f%% of the floor rate; %d-core capacity %.0f vs %.0f tokens/s%n", inJvmCpu, floorCpu,
                100
                        * floorCpu / inJvmCpu,
                cores, cores * 1000 / inJvmCpu, cores * 1000 / floorCpu);

        int port = freePort();
        Process child = startService(service, port, roots, db, work, jvmArgs(opt));
        try {
            String url = "http://127.0.0.1:" + port;
            awaitReady(url, child);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            var target = new InetSocketAddress("127.0.0.1", port);
            String path = "/attest/SevSnpVm?api-version=2022-08-01";
            try (RawHttpLoad load = new RawHttpLoad(target, path, bodies, connections)) {
                check(load.closedLoop(clients, warmup), "warm-up");
                double serverCpu0 = cpuSeconds(child.pid());
                double clientCpu0 = ownCpuSeconds();
                var closed = check(load.closedLoop(clients, seconds), "closed loop");
                double max = closed.rate();
                double serverMs = (cpuSeconds(child.pid()) - serverCpu0) * 1000 / closed.completed();
                double clientMs = (ownCpuSeconds() - clientCpu0) * 1000 / closed.completed();
                // the floor again, right after the load, with the service idle: other builds share these cores,
                // so the goal is checked against the higher of the two floors (the conservative choice)
                double floorAfter = Floor.rate(floorTask, cores, 5);
                double best = Math.max(floor.allCores(), floorAfter);
                System.out.printf(Locale.ROOT,
                        "max: %.0f tokens/s with %d closed-loop connections = %.0f%% of the %d-core floor"
                                + " (%.0f/s before, %.0f/s after the load; the higher is used)%n",
                        max, clients, 100 * max / best, cores, floor.allCores(), floorAfter);
                System.out.printf(Locale.ROOT, "CPU per token over HTTP: service process %.3f ms (%.0f%% of the"
                        + " floor rate, capacity %.0f tokens/s on %d cores), load generator %.3f ms%n", serverMs,
                        100 * floorCpu / serverMs, cores * 1000 / serverMs, cores, clientMs);

                double rate = opt.containsKey("rate") ? Double.parseDouble(opt.get("rate")) : max / 2;
                check(load.openLoop(rate, (int) (rate * Math.min(warmup, 10))), "open-loop warm-up");
                var before = ServerHistogram.scrape(http, url);
                double serverCpu1 = cpuSeconds(child.pid());
                double clientCpu1 = ownCpuSeconds();
                long openFrom = System.currentTimeMillis();
                var open = check(load.openLoop(rate, (int) (rate * seconds)), "open loop");
                long openTo = System.currentTimeMillis();
                int n = open.completed();
                double openServerMs = (cpuSeconds(child.pid()) - serverCpu1) * 1000 / n;
                double openClientMs = (ownCpuSeconds() - clientCpu1) * 1000 / n;
                var after = ServerHistogram.scrape(http, url);
                long[] lat = open.latencyNanos();
                System.out.printf(Locale.ROOT, "at %.0f tokens/s (%s), %d requests in %.1f s: p50 %.2f ms, p90 %.2f"
                        + " ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n", rate,
                        opt.containsKey("rate")
                                ? "--rate"
                                : "half of max",
                        n, open.seconds(), pct(lat, 50), pct(lat, 90), pct(lat, 99), pct(lat, 99.9),
                        lat[lat.length - 1] / 1e6);
                System.out.printf(Locale.ROOT, "  the service's own histogram (resource method → token): p50 ≤ %.1f"
                        + " ms, p99 ≤ %.1f ms; generator lateness p99 %.3f ms, max %.3f ms; CPU per token: service"
                        + " %.3f ms, generator %.3f ms; CPU busy %.0f%% of %d cores%n",
                        ServerHistogram
                                .percentileMs(before, after, 50),
                        ServerHistogram.percentileMs(before, after, 99), pct(open.lateNanos(), 99), open
                                .lateNanos()[open.lateNanos().length - 1] / 1e6,
                        openServerMs, openClientMs, 100 * rate * (openServerMs + openClientMs) / 1000 / cores, cores);
                Thread.sleep(1500); // the unified log is flushed asynchronously
                System.out.println("  " + pauses(work.resolve(VM_LOG), open, openFrom, openTo));
                if (opt.containsKey("slow-log")) {
                    writeSlow(Path.of(opt.get("slow-log")), open);
                }
                if ("true".equals(opt.get("compare-jdk-client"))) {
                    compareJdkClient(http, url + path, bodies, rate, seconds, child.pid());
                }
            }
            System.out.printf(Locale.ROOT, "load average at end=%s%n", loadAverage());
        } finally {
            child.destroy();
            child.waitFor();
        }
    }

    /**
     * {@code --latency-only true --rate N}: no floor, no maximum — a closed-loop warm-up, then the open loop at N/s.
     * For comparing service configurations (given with {@code --service-jvm-args}) back to back on a busy machine.
     */
    static void latencyOnly(Map<String, String> opt, Path service, Path roots, String db, Path work,
            List<String> bodies, int clients, int connections, int warmup, int seconds) throws Exception {
        double rate = Double.parseDouble(opt.get("rate"));
        int port = freePort();
        Process child = startService(service, port, roots, db, work, jvmArgs(opt));
        try {
            String url = "http://127.0.0.1:" + port;
            awaitReady(url, child);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            try (RawHttpLoad load = new RawHttpLoad(new InetSocketAddress("127.0.0.1", port),
                    "/attest/SevSnpVm?api-version=2022-08-01", bodies, connections)) {
                check(load.closedLoop(clients, warmup), "warm-up");
                var before = ServerHistogram.scrape(http, url);
                double cpu0 = cpuSeconds(child.pid());
                long openFrom = System.currentTimeMillis();
                var open = check(load.openLoop(rate, (int) (rate * seconds)), "open loop");
                long openTo = System.currentTimeMillis();
                double serverMs = (cpuSeconds(child.pid()) - cpu0) * 1000 / open.completed();
                var after = ServerHistogram.scrape(http, url);
                if (opt.containsKey("slow-log")) {
                    writeSlow(Path.of(opt.get("slow-log")), open);
                }
                long[] lat = open.latencyNanos();
                System.out.printf(Locale.ROOT, "latency-only %s at %.0f/s: p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max"
                        + " %.2f ms; service histogram p99 <= %.1f ms; generator lateness p99 %.3f ms; service CPU"
                        + " %.3f ms/token; load average %s%n", jvmArgs(opt), rate, pct(lat, 50), pct(lat, 90),
                        pct(
                                lat, 99),
                        pct(lat, 99.9), lat[lat.length - 1] / 1e6, ServerHistogram.percentileMs(
                                before, after, 99),
                        pct(open.lateNanos(), 99), serverMs, loadAverage());
                Thread.sleep(1500);
                System.out.println("  " + pauses(work.resolve(VM_LOG), open, openFrom, openTo));
            }
        } finally {
            child.destroy();
            child.waitFor();
        }
    }

    /** Requests over 2 ms: wall-clock start (epoch µs) and latency (µs), to line up with the service's pause log. */
    static List<long[]> slowEpochMicros(RawHttpLoad.Result r) {
        long offsetMicros = System.currentTimeMillis() * 1000 - System.nanoTime() / 1000;
        return r.slow().stream().map(s -> new long[]{s[0] / 1000 + offsetMicros, s[1] / 1000}).toList();
    }

    static void writeSlow(Path file, RawHttpLoad.Result r) throws IOException {
        StringBuilder b = new StringBuilder();
        for (long[] s : slowEpochMicros(r)) {
            b.append(s[0]).append(' ').append(s[1]).append('\n');
        }
        Files.writeString(file, b.toString());
    }

    /**
     * Where the slow requests of an open-loop run waited: how many overlapped a stop-the-world pause of the service
     * (GC or other safepoint, from its log), and how long the service was paused in the window.
     */
    static String pauses(Path vmLog, RawHttpLoad.Result r, long fromMillis, long toMillis) throws IOException {
        var all = PauseLog.within(PauseLog.read(vmLog), fromMillis * 1000, toMillis * 1000);
        double p99Micros = pct(r.latencyNanos(), 99) * 1000;
        List<long[]> slow = slowEpochMicros(r);
        List<long[]> tail = slow.stream().filter(x -> x[1] >= p99Micros).toList();
        double totalMs = all.stream().mapToLong(p -> p.endMicros() - p.startMicros()).sum() / 1000.0;
        double maxMs = all.stream().mapToLong(p -> p.endMicros() - p.startMicros()).max().orElse(0) / 1000.0;
        long gcs = all.stream().filter(p -> p.operation().contains("Collect") || p.operation().contains("GC")).count();
        return String.format(Locale.ROOT, "service pauses in the window: %d (%d GC), %.1f ms in total, longest %.2f ms;"
                + " requests over 2 ms: %d, of them during a pause: %d; at or above p99: %d, during a pause: %d",
                all.size(), gcs, totalMs, maxMs, slow.size(), PauseLog.overlapping(all, slow), tail.size(), PauseLog
                        .overlapping(all, tail));
    }

    /** The same open loop with the first benchmark's generator, right after ours: what the generator costs. */
    static void compareJdkClient(HttpClient http, String uri, List<String> bodies, double rate, int seconds, long pid)
            throws Exception {
        int count = (int) (rate * seconds);
        JdkClientLoad.openLoop(http, URI.create(uri), bodies, rate, (int) (rate * 5));
        double server0 = cpuSeconds(pid);
        double client0 = ownCpuSeconds();
        long[] lat = JdkClientLoad.openLoop(http, URI.create(uri), bodies, rate, count);
        System.out.printf(Locale.ROOT,
                "the first benchmark's generator (JDK HttpClient, sleep+spin schedule) at %.0f/s:"
                        + " p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms; CPU per token: service %.3f ms, generator"
                        + " %.3f ms%n",
                rate, pct(lat, 50), pct(lat, 90), pct(lat, 99), lat[lat.length - 1] / 1e6,
                (cpuSeconds(pid) - server0) * 1000 / count, (ownCpuSeconds() - client0) * 1000 / count);
    }

    static RawHttpLoad.Result check(RawHttpLoad.Result r, String what) {
        if (r.failed() > 0) {
            throw new IllegalStateException(what + ": " + r.failed() + " requests failed, first: " + r.firstError());
        }
        return r;
    }

    /** {@code --service-jvm-arg A} (one) and/or {@code --service-jvm-args "A B C"} (space-separated). */
    static List<String> jvmArgs(Map<String, String> opt) {
        List<String> out = new ArrayList<>();
        if (opt.containsKey("service-jvm-arg")) {
            out.add(opt.get("service-jvm-arg"));
        }
        if (opt.containsKey("service-jvm-args")) {
            out.addAll(Arrays.asList(opt.get("service-jvm-args").trim().split("\\s+")));
        }
        return out;
    }

    static String rates(double[] r) {
        StringBuilder b = new StringBuilder();
        for (double v : r) {
            b.append(b.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.0f", v));
        }
        return b.toString();
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    static Process startService(Path jar, int port, Path roots, String db, Path work, List<String> extraJvmArgs)
            throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: build attestation-service first (see docs/benchmarks.md)");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // GC and safepoint pauses with wall-clock times, to match slow requests against (see pauses())
        Files.deleteIfExists(work.resolve(VM_LOG));
        cmd.add("-Xlog:gc,safepoint:file=" + work.resolve(VM_LOG).toAbsolutePath() + ":time");
        // e.g. -XX:StartFlightRecording=filename=service.jfr,settings=profile
        cmd.addAll(extraJvmArgs);
        // a fixed heap: with -Xmx alone G1 kept the committed heap small and collected twice as often (about
        // 570 KB are allocated per token, 410 KB of it inside BouncyCastle's P-384 arithmetic)
        cmd.addAll(List.of("-Xms512m", "-Xmx512m",
                "-Dquarkus.http.port=" + port, "-Dparma.attestation.evidence.simulator-roots=" + roots.toAbsolutePath(),
                "-Dparma.attestation.limits.requests-per-second=1000000",
                "-Dparma.attestation.limits.burst=1000000", "-Dquarkus.datasource.jdbc.url=" + db,
                "-Dquarkus.log.level=WARN", "-jar", jar.toAbsolutePath().toString()));
        var pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve(
                "attestation-service.log").toFile());
        // production configuration has no master key; the bench's database is throwaway, so any fresh key does
        pb.environment().putIfAbsent("PARMA_ATTESTATION_MASTER_KEY", java.util.Base64.getEncoder().encodeToString(
                new java.security.SecureRandom().generateSeed(32)));
        return pb.start();
    }

    static void awaitReady(String url, Process child) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new IllegalStateException("attestation-service exited; see its log in the work directory");
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("attestation-service not ready after 120 s");
    }

    /** utime + stime of a process, from /proc (Linux), in seconds. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static double ownCpuSeconds() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun
                ? sun.getProcessCpuTime() / 1e9
                : Double.NaN;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "n/a";
        }
    }

    static Map<String, String> options(String[] args) {
        var m = new java.util.HashMap<String, String>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            m.put(args[i].substring(2), args[i + 1]);
        }
        return m;
    }

    private AttestationLoad() {
    }
}
