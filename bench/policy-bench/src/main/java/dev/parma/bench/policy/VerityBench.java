package dev.parma.bench.policy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.parma.policy.verity.VerityHash;

/**
 * dm-verity root hash of the same 256 MiB file: ours (1 and 2 threads) against {@code veritysetup format} in the same
 * run. The file stays in the page cache after the first read, so both sides hash from memory. Throughput = 256 MiB /
 * time per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class VerityBench {

    static final long SIZE = 256L * 1024 * 1024;
    static final String SALT = "0".repeat(64);

    @Param({"1", "2"})
    public int threads;

    Path data;
    Path hash;
    String expected;

    @Setup
    public void setup() throws Exception {
        data = dataFile();
        hash = Files.createTempFile("parma-verity-bench", ".hash");
        expected = veritysetup(data, hash);
        String ours = VerityHash.rootHash(data, threads);
        if (!ours.equals(expected)) {
            throw new IllegalStateException("root hash mismatch: ours " + ours + ", veritysetup " + expected);
        }
    }

    @Benchmark
    public String parma() throws IOException {
        return VerityHash.rootHash(data, threads);
    }

    /** Same work by cryptsetup's veritysetup (threads is ignored: it is single-threaded). */
    @Benchmark
    public String veritysetup() throws Exception {
        return veritysetup(data, hash);
    }

    static synchronized Path dataFile() throws IOException {
        Path f = Path.of(System.getProperty("java.io.tmpdir"), "parma-verity-bench-256m.img");
        if (Files.exists(f) && Files.size(f) == SIZE) {
            return f;
        }
        Random r = new Random(42);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(f)) {
            for (long w = 0; w < SIZE; w += chunk.length) {
                r.nextBytes(chunk);
                out.write(chunk);
            }
        }
        return f;
    }

    static String veritysetup(Path data, Path hash) throws Exception {
        Process p = new ProcessBuilder(List.of("veritysetup", "format", "--no-superblock", "--hash=sha256",
                "--data-block-size=4096", "--hash-block-size=4096", "--salt=" + SALT, data.toString(), hash.toString()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("veritysetup failed: " + out);
        }
        for (String line : out.split("\n")) {
            if (line.startsWith("Root hash:")) {
                return line.substring("Root hash:".length()).strip();
            }
        }
        throw new IllegalStateException("no root hash in: " + out);
    }
}
