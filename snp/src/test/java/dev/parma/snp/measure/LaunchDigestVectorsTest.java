package dev.parma.snp.measure;

import static dev.parma.snp.Anchors.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.snp.Anchors;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reproduces anchors/measurement/launch-digest-vectors.json (sev-snp-measure's published digests). */
class LaunchDigestVectorsTest {
    static final JsonNode VECTORS = read();
    static final HexFormat HEX = HexFormat.of();

    static JsonNode read() {
        try {
            return new ObjectMapper().readTree(Anchors.bytes("measurement/launch-digest-vectors.json"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode vector(String prefix) {
        for (JsonNode v : VECTORS.get("vectors")) {
            if (v.get("name").asText().startsWith(prefix)) {
                return v;
            }
        }
        throw new IllegalStateException("no vector " + prefix);
    }

    static String sub(String prefix) {
        Iterator<Map.Entry<String, JsonNode>> it = VECTORS.get("sub_vectors").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith(prefix)) {
                return e.getValue().asText();
            }
        }
        throw new IllegalStateException("no sub-vector " + prefix);
    }

    static long num(JsonNode n) {
        return Long.decode(n.asText().split(" ")[0]);
    }

    @Test
    void singlePageVectors() {
        assertThat(HEX.formatHex(new LaunchDigest().update(PageType.ZERO, 0, null).digest())).isEqualTo(vector(
                "one ZERO page").get("expected").asText());
        assertThat(HEX.formatHex(new LaunchDigest().update(PageType.NORMAL, 0, new byte[4096]).digest())).isEqualTo(
                vector("one NORMAL page").get("expected").asText());
    }

    @Test
    void sevHashesTables() {
        assertThat(HEX.formatHex(SevHashes.of(new byte[0], new byte[0], "").table())).isEqualTo(sub(
                "sev_hashes_table_kernel_empty_initrd_empty_cmdline_empty"));
        assertThat(HEX.formatHex(SevHashes.of(new byte[0], new byte[0], "console=ttyS0 loglevel=7").table()))
                .isEqualTo(sub("sev_hashes_table_kernel_empty_initrd_empty_cmdline_console"));
        assertThat(SevHashes.of(new byte[0], null, "").table()).isEqualTo(SevHashes.of(new byte[0], new byte[0], "")
                .table());
    }

    @Test
    void vmsaPages() throws Exception {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-384");
        assertThat(HEX.formatHex(sha.digest(Vmsa.qemu(Vmsa.BSP_EIP, 0x800f12, 0x21)))).isEqualTo(sub(
                "qemu_bsp_vmsa_sha384 (eip 0xfffffff0, sev_features 0x21"));
        assertThat(HEX.formatHex(sha.digest(Vmsa.qemu(0x80b004, 0x800f12, 0x21)))).isEqualTo(sub(
                "qemu_ap_vmsa_sha384"));
        assertThat(HEX.formatHex(sha.digest(Vmsa.qemu(Vmsa.BSP_EIP, 0x800f12, 0x1)))).isEqualTo(sub(
                "qemu_bsp_vmsa_sha384 (eip 0xfffffff0, sev_features 0x1,"));
        byte[] expected = new byte[4096];
        JsonNode nonZero = VECTORS.get("sub_vectors").get("qemu_bsp_vmsa_nonzero_bytes (offset: value; everything "
                + "else in the 4096-byte page is zero)");
        nonZero.fields().forEachRemaining(e -> expected[Integer.decode(e.getKey())] = (byte) (int) Integer.decode(e
                .getValue().asText()));
        assertThat(Vmsa.qemu(Vmsa.BSP_EIP, 0x800f12, 0x21)).isEqualTo(expected);
    }

    @Test
    void everyFullLaunchVector() {
        JsonNode full = vector("full SNP launch");
        JsonNode in = full.get("common_inputs");
        byte[] seed = hex(in.get("seed").asText());
        // the seed is itself the published OVMF-only digest of sev-snp-measure's AmdSev suffix fixture
        assertThat(HEX.formatHex(seed)).isEqualTo(vector("OVMF-only digest").get("expected").asText());
        List<MetadataSection> sections = new ArrayList<>();
        for (JsonNode s : in.get("ovmf_sev_metadata_in_order")) {
            String type = s.get("type").asText();
            int code = Integer.decode(type.substring(type.indexOf('(') + 1, type.indexOf(')')));
            sections.add(new MetadataSection(num(s.get("gpa")), num(s.get("size")), MetadataSection.Type.fromCode(
                    code)));
        }
        long apEip = num(in.get("sev_es_reset_eip_for_APs"));
        assertThat(num(in.get("bsp_eip"))).isEqualTo(Vmsa.BSP_EIP);
        long vcpuSig = num(in.get("vcpu_sig_EPYC_v4"));
        assertThat(vcpuSig).isEqualTo(SnpMeasurement.EPYC_V4_SIGNATURE);
        int cases = 0;
        for (JsonNode c : full.get("cases")) {
            SevHashes hashes = SevHashes.of(new byte[0], new byte[0], c.get("cmdline").asText());
            SnpMeasurement m = new SnpMeasurement(seed, sections, apEip, 0x810c00L, hashes, c.get("vcpus").asInt(),
                    vcpuSig, num(c.get("guest_features")));
            assertThat(HEX.formatHex(m.launchDigest())).as(c.toString()).isEqualTo(c.get("expected").asText());
            cases++;
        }
        assertThat(cases).isEqualTo(5);
    }
}
