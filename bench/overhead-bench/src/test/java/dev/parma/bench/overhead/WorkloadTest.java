package dev.parma.bench.overhead;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every workload script runs to completion under the host's busybox (the same applets as the image's) at a
 * hundredth of its size. busybox-static is a test dependency (scripts/install-deps.sh); missing, this fails.
 */
class WorkloadTest {

    static List<Workload> suite() {
        return Workload.suite();
    }

    static String busybox() {
        for (String d : (System.getenv("PATH") + ":/bin:/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, "busybox"))) {
                return Path.of(d, "busybox").toString();
            }
        }
        throw new IllegalStateException("busybox is not installed: run scripts/install-deps.sh (as root)");
    }

    static Process sh(String bb, String script) throws Exception {
        return new ProcessBuilder(bb, "sh", "-c", script).redirectErrorStream(true).start();
    }

    @ParameterizedTest
    @MethodSource("suite")
    void runsToCompletionUnderBusybox(Workload w) throws Exception {
        String bb = busybox();
        List<String> cmd = w.command(bb, 0.01);
        assertThat(cmd.subList(0, 2)).containsExactly("/bin/sh", "-c");
        var p = sh(bb, cmd.get(2));
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void aFailingAppletFailsTheWholeScript() throws Exception {
        // pipefail: the container must not "succeed" with a broken workload
        String bb = busybox();
        var w = new Workload("broken", Workload.Kind.CPU, "", (b, s) -> b + " cat /nonexistent | " + b + " wc -c");
        var p = sh(bb, w.command(bb, 1).get(2));
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
    }

    @Test
    void sizesScaleAndNamesAreUnique() {
        var gzip = Workload.suite().get(0);
        assertThat(gzip.command("/bin/busybox", 1).get(2)).contains("seq 1 4000000");
        assertThat(gzip.command("/bin/busybox", 0.5).get(2)).contains("seq 1 2000000");
        assertThat(Workload.suite()).extracting(Workload::name).doesNotHaveDuplicates();
        assertThat(Workload.suite()).extracting(Workload::kind).contains(Workload.Kind.values());
    }
}
