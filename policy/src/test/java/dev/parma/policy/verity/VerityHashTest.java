package dev.parma.policy.verity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** dm-verity root hashes against the real {@code veritysetup} binary and fixed vectors. */
class VerityHashTest {

    @TempDir
    Path dir;

    /** Vectors produced with cryptsetup 2.6.1 veritysetup (flags as in the class Javadoc) on zero-filled files. */
    @ParameterizedTest(name = "{0} zero blocks")
    @CsvSource({"1, 2e534ef0107d592d1706ac38ad58596b85ef3375d360a6d669f974792df5cb5a",
            "2, 05927d36681daf2129a7ab821c194d61c7943aba7a8a38532b2e075ca1e56736",
            "129, 35d7502c55320932d5e1f52c7d38699f8ba2df3409bb52d5b4ad5b6dce18d18c",
            "16385, 594a4099b1262bc096c6354b2479b8ea70eb9a905588900787f181579ad65a16"})
    void fixedVectors_zeroFiles(int blocks, String expected) throws IOException {
        Path f = dir.resolve("zero.img");
        Files.write(f, new byte[blocks * VerityHash.BLOCK_SIZE]);
        assertThat(VerityHash.rootHash(f, 1)).isEqualTo(expected);
        assertThat(VerityHash.rootHash(f, 2)).isEqualTo(expected);
        try (InputStream in = Files.newInputStream(f)) {
            assertThat(VerityHash.rootHash(in, Files.size(f))).isEqualTo(expected);
        }
    }

    @Test
    void fixedVector_byteSequence() throws IOException {
        byte[] data = new byte[300 * VerityHash.BLOCK_SIZE];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 251);
        }
        Path f = dir.resolve("seq.img");
        Files.write(f, data);
        assertThat(VerityHash.rootHash(f))
                .isEqualTo("e5aeb6bc0fb2eba518af5438230ff20de41caa365d44a541de61cc4948b28fdc");
    }

    @ParameterizedTest(name = "{0} random blocks")
    @ValueSource(ints = {1, 2, 100, 127, 128, 129, 300, 2049, 16384, 16385, 20000})
    void equalsVeritysetup_onRandomFiles(int blocks) throws Exception {
        long seed = new Random().nextLong();
        System.out.println("VerityHashTest seed=" + seed + " blocks=" + blocks);
        byte[] data = new byte[blocks * VerityHash.BLOCK_SIZE];
        new Random(seed).nextBytes(data);
        Path f = dir.resolve("layer-" + blocks + ".img");
        Files.write(f, data);
        String expected = veritysetup(f);
        assertThat(VerityHash.rootHash(f, 1)).as("seed " + seed).isEqualTo(expected);
        assertThat(VerityHash.rootHash(f, 3)).as("seed " + seed).isEqualTo(expected);
        assertThat(VerityHash.rootHash(new ByteArrayInputStream(data), data.length)).isEqualTo(expected);
    }

    @Test
    void badSizesAndStreamsAreRejectedPrecisely() throws IOException {
        Path odd = dir.resolve("odd.img");
        Files.write(odd, new byte[4097]);
        assertThatThrownBy(() -> VerityHash.rootHash(odd)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size 4097 is not a positive multiple of 4096");
        Path empty = dir.resolve("empty.img");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> VerityHash.rootHash(empty)).hasMessageContaining("size 0");
        assertThatThrownBy(() -> VerityHash.rootHash(odd, 0)).hasMessageContaining("threads must be >= 1");
        assertThatThrownBy(() -> VerityHash.rootHash(new ByteArrayInputStream(new byte[4096]), 8192))
                .isInstanceOf(java.io.EOFException.class);
        assertThatThrownBy(() -> VerityHash.rootHash(dir.resolve("missing.img")))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    static String veritysetup(Path data) throws Exception {
        Path hash = data.resolveSibling(data.getFileName() + ".hash");
        Process p = new ProcessBuilder(List.of("veritysetup", "format", "--no-superblock", "--hash=sha256",
                "--data-block-size=4096", "--hash-block-size=4096", "--salt=" + "0".repeat(64), data.toString(),
                hash.toString())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        for (String line : out.split("\n")) {
            if (line.startsWith("Root hash:")) {
                return line.substring("Root hash:".length()).strip();
            }
        }
        throw new AssertionError("no root hash in veritysetup output: " + out);
    }
}
