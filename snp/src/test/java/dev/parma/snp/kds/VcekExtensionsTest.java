package dev.parma.snp.kds;

import static dev.parma.snp.Anchors.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parma.snp.abi.SigningKey;
import dev.parma.snp.abi.TcbParts;
import dev.parma.snp.trust.Pem;
import org.junit.jupiter.api.Test;

class VcekExtensionsTest {

    @Test
    void realVcekExtensions() {
        VcekExtensions e = VcekExtensions.parse(pemChain("gcp-milan-v5/vcek.pem").leaf());
        assertThat(e.keyType()).isEqualTo(SigningKey.VCEK);
        assertThat(e.structVersion()).isZero();
        assertThat(e.productName()).isEqualTo("Milan-B0");
        assertThat(e.spl()).isEqualTo(TcbParts.of(4, 0, 27, 222)); // ucode 222 is DER 02 02 00 DE
        assertThat(e.hwId()).hasSize(64).startsWith(hex("980cf7b61876cb37"));
        assertThat(e.csp()).isEmpty();
    }

    @Test
    void realVlekExtensions() {
        VcekExtensions e = VcekExtensions.parse(Pem.der(bytes("aws-milan-vlek-v3/vlek.der")));
        assertThat(e.keyType()).isEqualTo(SigningKey.VLEK);
        assertThat(e.productName()).isEqualTo("Milan");
        assertThat(e.spl().microcode()).isEqualTo(217);
        assertThat(e.hwIdBytes()).isEmpty();
        assertThat(e.cspId()).isEqualTo("CN=cc-us-east-2.amazonaws.com");
    }

    @Test
    void hwIdAcceptsRawAndOctetStringForms() {
        byte[] raw = new byte[64];
        raw[0] = 0x04;
        raw[1] = 0x3E; // looks like a tag but the length does not fit: raw
        assertThat(VcekExtensions.hwId(raw)).isEqualTo(raw);
        byte[] wrapped = new byte[66];
        wrapped[0] = 0x04;
        wrapped[1] = 64;
        wrapped[2] = 7;
        assertThat(VcekExtensions.hwId(wrapped)).hasSize(64).startsWith(7);
        assertThat(VcekExtensions.hwId(new byte[8])).hasSize(8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> VcekExtensions.hwId(new byte[10]))
                .hasMessageContaining("hwID extension is 10 bytes");
    }

    @Test
    void certificateWithoutAmdExtensionsIsRejectedNamingTheExtension() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> VcekExtensions.parse(pemChain(
                "aci-milan-v2/vcek_ask_ark.pem").intermediate())).isInstanceOf(KdsException.class).hasMessageContaining(
                        "CN is 'SEV-Milan'");
    }
}
