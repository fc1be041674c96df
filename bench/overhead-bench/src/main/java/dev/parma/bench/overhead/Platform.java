package dev.parma.bench.overhead;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The local platform through {@code ./parma}: is it up, start and stop it, mint a tenant token; and the machine. */
final class Platform {

    private final Path root;

    Platform(Path root) {
        this.root = root;
        if (!Files.isExecutable(root.resolve("parma"))) {
            throw new IllegalArgumentException(root + " has no ./parma: run from the repository root or pass --root");
        }
    }

    static boolean answers(String url) {
        try {
            var resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding());
            return resp.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code ./parma start}: builds if needed, starts everything, returns once healthy. */
    void start() throws IOException {
        run(true, "start");
    }

    void stop() throws IOException {
        run(true, "stop");
    }

    /** A tenant-owner token from the local run's development issuer, valid long enough for any run. */
    String token() throws IOException {
        return run(false, "token", "--minutes", "720").trim();
    }

    String commit() {
        try {
            return run(root, false, "git", "rev-parse", "--short", "HEAD").trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private String run(boolean inherit, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("parma").toString()));
        cmd.addAll(List.of(args));
        return run(root, inherit, cmd.toArray(String[]::new));
    }

    private static String run(Path dir, boolean inherit, String... cmd) throws IOException {
        var pb = new ProcessBuilder(cmd).directory(dir.toFile());
        if (inherit) {
            pb.inheritIO();
        } else {
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        var p = pb.start();
        String out = inherit ? "" : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", cmd) + " exited with " + p.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out;
    }

    /** "2 vCPU AMD EPYC …, 24 GiB, Linux 6.1" from /proc (best effort). */
    static String machine() {
        String cpu = "?";
        long memKb = 0;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    cpu = l.substring(l.indexOf(':') + 1).trim();
                    break;
                }
            }
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    memKb = Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: the report says "?"
        }
        return String.format(Locale.ROOT, "%d vCPU %s, %.0f GiB, Linux %s", Runtime.getRuntime().availableProcessors(),
                cpu, memKb / 1024.0 / 1024.0, System.getProperty("os.version"));
    }

    /** The 1-minute load average, or NaN. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
