package dev.parma.snp.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TcbAndProductTest {

    @Test
    void milanGenoaLayout() {
        assertThat(new TcbVersion(0x7308000000000003L).parts(Product.MILAN)).isEqualTo(TcbParts.of(3, 0, 8, 0x73));
        assertThat(TcbVersion.of(Product.GENOA, TcbParts.of(10, 0, 23, 84)).raw()).isEqualTo(0x541700000000000aL);
    }

    @Test
    void turinLayout() {
        TcbVersion v = TcbVersion.of(Product.TURIN, new TcbParts(1, 2, 3, 4, 5));
        assertThat(v.raw()).isEqualTo(0x0500000004030201L);
        assertThat(v.parts(Product.TURIN)).isEqualTo(new TcbParts(1, 2, 3, 4, 5));
    }

    @Test
    void randomPartsRoundTrip() {
        Random rnd = new Random(7);
        for (int i = 0; i < 1000; i++) {
            for (Product p : Product.values()) {
                TcbParts parts = new TcbParts(p == Product.TURIN ? rnd.nextInt(256) : 0, rnd.nextInt(256), rnd.nextInt(
                        256), rnd.nextInt(256), rnd.nextInt(256));
                assertThat(TcbVersion.of(p, parts).parts(p)).isEqualTo(parts);
            }
        }
    }

    @Test
    void reservedBytesAndMisplacedFmcAreRejected() {
        assertThatThrownBy(() -> new TcbVersion(0x0000000100000000L).parts(Product.MILAN)).isInstanceOf(
                AbiException.class).hasMessageContaining("reserved byte 4");
        assertThatThrownBy(() -> new TcbVersion(0x0000010000000000L).parts(Product.TURIN)).hasMessageContaining(
                "reserved byte 5");
        assertThatThrownBy(() -> TcbVersion.of(Product.MILAN, new TcbParts(1, 0, 0, 0, 0))).hasMessageContaining(
                "FMC SPL 1 has no place");
        assertThatThrownBy(() -> new TcbParts(0, 256, 0, 0, 0)).hasMessageContaining("BOOT_LOADER");
    }

    @Test
    void productsFromCpuidAndNames() {
        assertThat(Product.fromCpuid(0x19, 0x01)).isEqualTo(Product.MILAN);
        assertThat(Product.fromCpuid(0x19, 0x11)).isEqualTo(Product.GENOA);
        assertThat(Product.fromCpuid(0x19, 0xA0)).isEqualTo(Product.GENOA);
        assertThat(Product.fromCpuid(0x1A, 0x02)).isEqualTo(Product.TURIN);
        assertThatThrownBy(() -> Product.fromCpuid(0x17, 0x31)).hasMessageContaining("family 0x17 model 0x31");
        assertThat(Product.fromProductName("Milan-B0")).isEqualTo(Product.MILAN);
        assertThat(Product.fromProductName("Genoa")).isEqualTo(Product.GENOA);
        assertThatThrownBy(() -> Product.fromProductName("Rome-B0")).hasMessageContaining("unknown product 'Rome-B0'");
    }

    @Test
    void policyAndIdBlockRoundTrip() {
        Random rnd = new Random(3);
        for (int i = 0; i < 500; i++) {
            long v = (rnd.nextLong() & ((1L << 26) - 1)) | 1L << 17;
            assertThat(GuestPolicy.parse(v).toLong()).isEqualTo(v);
            byte[] ld = new byte[48];
            rnd.nextBytes(ld);
            IdBlock block = new IdBlock(ld, new byte[16], new byte[16], rnd.nextInt(), GuestPolicy.parse(v));
            assertThat(IdBlock.parse(block.toBytes())).isEqualTo(block);
        }
        AmdPublicKey k = new AmdPublicKey(java.math.BigInteger.TEN, java.math.BigInteger.TWO);
        assertThat(AmdPublicKey.parse(k.toBytes())).isEqualTo(k);
        assertThat(k.toBytes()).hasSize(0x404);
        assertThat(k.digest()).hasSize(48);
    }
}
