package dev.parma.bench.snp;

import dev.parma.snp.measure.OvmfImage;
import dev.parma.snp.measure.SevHashes;
import dev.parma.snp.measure.SnpMeasurement;
import dev.parma.snp.testkit.SyntheticOvmf;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Expected MEASUREMENT of a guest with a 2 MiB OVMF-sized image (AmdSev-like metadata), the kernel hashes page and
 * 4 vCPUs: 512 OVMF pages + 38 metadata pages + 4 VMSAs. The second benchmark also hashes a 12 MiB kernel and a 32 MiB
 * initrd into the SEV hashes table.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LaunchDigestBench {
    OvmfImage ovmf;
    SevHashes hashes;
    byte[] kernel;
    byte[] initrd;

    @Setup
    public void setup() {
        ovmf = SyntheticOvmf.amdSevLike(2 * 1024 * 1024, 1);
        Random rnd = new Random(2);
        kernel = new byte[12 * 1024 * 1024];
        initrd = new byte[32 * 1024 * 1024];
        rnd.nextBytes(kernel);
        rnd.nextBytes(initrd);
        hashes = SevHashes.of(kernel, initrd, "console=ttyS0 loglevel=7");
    }

    @Benchmark
    public byte[] launchDigest2MiBOvmfWithKernelHashesTable() {
        return SnpMeasurement.of(ovmf, hashes, 4, SnpMeasurement.EPYC_V4_SIGNATURE, 0x21).launchDigest();
    }

    @Benchmark
    public byte[] launchDigest2MiBOvmfHashing12MiBKernel32MiBInitrd() {
        return SnpMeasurement.of(ovmf, SevHashes.of(kernel, initrd, "console=ttyS0 loglevel=7"), 4,
                SnpMeasurement.EPYC_V4_SIGNATURE, 0x21).launchDigest();
    }
}
