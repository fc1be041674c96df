package dev.parma.snp.kds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.SigningKey;
import dev.parma.snp.abi.TcbParts;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KdsUrlsTest {

    @Test
    void vcekUrlHasKdsShape() {
        byte[] hwId = HexFormat.of().parseHex("3ac3fe21" + "00".repeat(60));
        assertThat(KdsUrls.vcek(Product.MILAN, hwId, TcbParts.of(2, 0, 5, 68))).isEqualTo(
                "https://kdsintf.amd.com/vcek/v1/Milan/3ac3fe21" + "00".repeat(60)
                        + "?blSPL=2&teeSPL=0&snpSPL=5&ucodeSPL=68");
        assertThat(KdsUrls.vcek(Product.TURIN, new byte[]{1, 2, 3, 4, 5, 6, 7, 8}, new TcbParts(1, 2, 3, 4, 5)))
                .isEqualTo("https://kdsintf.amd.com/vcek/v1/Turin/0102030405060708?fmcSPL=1&blSPL=2&teeSPL=3&snpSPL=4"
                        + "&ucodeSPL=5");
        assertThat(KdsUrls.certChain(Product.GENOA, SigningKey.VLEK)).isEqualTo(
                "https://kdsintf.amd.com/vlek/v1/Genoa/cert_chain");
        assertThat(KdsUrls.crl(Product.MILAN, SigningKey.VCEK)).isEqualTo("https://kdsintf.amd.com/vcek/v1/Milan/crl");
    }

    @Test
    void randomRequestsRoundTripThroughTheirUrls() {
        Random rnd = new Random(42);
        for (int i = 0; i < 200; i++) {
            Product p = Product.values()[rnd.nextInt(3)];
            byte[] hwId = new byte[p.hwIdSize()];
            rnd.nextBytes(hwId);
            TcbParts spl = new TcbParts(p == Product.TURIN ? rnd.nextInt(256) : 0, rnd.nextInt(256), rnd.nextInt(256),
                    rnd.nextInt(256), rnd.nextInt(256));
            KdsRequest vcek = new KdsRequest.Vcek(p, hwId, spl);
            assertThat(KdsUrls.parse(vcek.url())).isEqualTo(vcek);
            SigningKey k = rnd.nextBoolean() ? SigningKey.VCEK : SigningKey.VLEK;
            assertThat(KdsUrls.parse(new KdsRequest.CertChain(p, k).url())).isEqualTo(new KdsRequest.CertChain(p, k));
            assertThat(KdsUrls.parse(new KdsRequest.Crl(p, k).url())).isEqualTo(new KdsRequest.Crl(p, k));
        }
    }

    @Test
    void parseAcceptsReorderedAndZeroPaddedParameters() {
        String url = "https://kdsintf.amd.com/vcek/v1/Milan/" + "ab".repeat(64) + "?ucodeSPL=115&snpSPL=08&teeSPL=00"
                + "&blSPL=03";
        assertThat(KdsUrls.parse(url)).isEqualTo(new KdsRequest.Vcek(Product.MILAN, HexFormat.of().parseHex("ab"
                .repeat(64)), TcbParts.of(3, 0, 8, 115)));
    }

    @Test
    void badUrlsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> KdsUrls.parse("http://kdsintf.amd.com/vcek/v1/Milan/crl")).hasMessageContaining(
                "not a KDS URL");
        assertThatThrownBy(() -> KdsUrls.parse("https://kdsintf.amd.com/vcek/v1/Rome/crl")).hasMessageContaining(
                "KDS product 'Rome' is unknown");
        assertThatThrownBy(() -> KdsUrls.parse("https://kdsintf.amd.com/vcek/v1/Milan/" + "ab".repeat(64)
                + "?blSPL=1&teeSPL=0&snpSPL=1")).hasMessageContaining("lacks the ucodeSPL parameter");
        assertThatThrownBy(() -> KdsUrls.parse("https://kdsintf.amd.com/vcek/v1/Milan/abcd?blSPL=1&teeSPL=0&snpSPL=1"
                + "&ucodeSPL=1")).hasMessageContaining("needs a 64-byte hwID, got 2 bytes");
        assertThatThrownBy(() -> KdsUrls.parse("https://kdsintf.amd.com/vcek/v1/Milan/zz?blSPL=1"))
                .hasMessageContaining("is not hex");
        assertThatThrownBy(() -> KdsUrls.parse("https://kdsintf.amd.com/vcek/v2/Milan/crl")).hasMessageContaining(
                "KDS path must be");
    }
}
