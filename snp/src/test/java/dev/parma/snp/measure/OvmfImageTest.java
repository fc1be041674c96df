package dev.parma.snp.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parma.snp.testkit.SyntheticOvmf;
import java.util.List;
import org.junit.jupiter.api.Test;

class OvmfImageTest {

    @Test
    void parsesFooterTableMetadataResetEipAndHashTableGpa() {
        OvmfImage ovmf = SyntheticOvmf.amdSevLike(64 * 1024, 1);
        assertThat(ovmf.sections()).isEqualTo(SyntheticOvmf.AMDSEV_SECTIONS);
        assertThat(ovmf.sevEsResetEip()).isEqualTo(0x80b004L);
        assertThat(ovmf.sevHashesTableGpa()).isEqualTo(0x810c00L);
        assertThat(ovmf.gpa()).isEqualTo(0x1_0000_0000L - 64 * 1024);
    }

    @Test
    void measurementFromAnImageEqualsTheSeededReplay() {
        OvmfImage ovmf = SyntheticOvmf.amdSevLike(64 * 1024, 2);
        SevHashes hashes = SevHashes.of(new byte[]{1, 2, 3}, new byte[]{4}, "console=ttyS0");
        byte[] fromImage = SnpMeasurement.of(ovmf, hashes, 2, SnpMeasurement.EPYC_V4_SIGNATURE, 0x21).launchDigest();
        byte[] seed = new LaunchDigest().updateNormal(0x1_0000_0000L - 64 * 1024, ovmf.image()).digest();
        byte[] seeded = new SnpMeasurement(seed, ovmf.sections(), 0x80b004L, 0x810c00L, hashes, 2,
                SnpMeasurement.EPYC_V4_SIGNATURE, 0x21).launchDigest();
        assertThat(fromImage).isEqualTo(seeded);
        // a different command line changes the measurement
        assertThat(SnpMeasurement.of(ovmf, SevHashes.of(new byte[]{1, 2, 3}, new byte[]{4}, "console=ttyS1"), 2,
                SnpMeasurement.EPYC_V4_SIGNATURE, 0x21).launchDigest()).isNotEqualTo(fromImage);
    }

    @Test
    void everyPageTypeGivesItsOwnDigestAndOnlyNormalAndVmsaDependOnContents() {
        java.util.Set<String> digests = new java.util.HashSet<>();
        for (PageType t : PageType.values()) {
            byte[] a = new LaunchDigest().update(t, 0x1000, new byte[4096]).digest();
            byte[] filled = new byte[4096];
            filled[7] = 1;
            byte[] b = new LaunchDigest().update(t, 0x1000, filled).digest();
            assertThat(!java.util.Arrays.equals(a, b)).as(t.name()).isEqualTo(t.measuresContents());
            digests.add(java.util.HexFormat.of().formatHex(a));
        }
        assertThat(digests).hasSize(PageType.values().length);
    }

    @Test
    void imageWithoutFooterHasNoMetadata() {
        OvmfImage plain = OvmfImage.parse(new byte[8192]);
        assertThat(plain.sections()).isEmpty();
        assertThat(plain.sevEsResetEip()).isZero();
    }

    /**
     * sev-snp-measure and virtee/sev refuse a kernel when the firmware has nowhere to put its hashes: QEMU would not
     * measure it, so a digest computed "with" the kernel would bind none.
     */
    @Test
    void aKernelIsRefusedWhenTheFirmwareHasNoSevHashesTable() {
        SevHashes kernel = SevHashes.of(new byte[]{1, 2, 3}, new byte[]{4}, "console=ttyS0");
        List<MetadataSection> noHashesSection = SyntheticOvmf.AMDSEV_SECTIONS.stream().filter(s -> s
                .type() != MetadataSection.Type.SNP_KERNEL_HASHES).toList();
        OvmfImage withoutSection = OvmfImage.parse(SyntheticOvmf.build(64 * 1024, 3, noHashesSection,
                SyntheticOvmf.AMDSEV_RESET_EIP, SyntheticOvmf.AMDSEV_HASH_TABLE_GPA));
        assertThatThrownBy(() -> SnpMeasurement.of(withoutSection, kernel, 1, SnpMeasurement.EPYC_V4_SIGNATURE,
                0x21)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(
                        "no SNP_KERNEL_HASHES section");
        OvmfImage withoutTable = OvmfImage.parse(SyntheticOvmf.build(64 * 1024, 3, SyntheticOvmf.AMDSEV_SECTIONS,
                SyntheticOvmf.AMDSEV_RESET_EIP, 0));
        assertThat(withoutTable.sevHashesTableGpa()).isZero();
        assertThatThrownBy(() -> SnpMeasurement.of(withoutTable, kernel, 1, SnpMeasurement.EPYC_V4_SIGNATURE,
                0x21)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(
                        "no SEV hashes table entry");
        // the seeded form is checked the same way
        assertThatThrownBy(() -> new SnpMeasurement(new byte[48], noHashesSection, SyntheticOvmf.AMDSEV_RESET_EIP,
                SyntheticOvmf.AMDSEV_HASH_TABLE_GPA, kernel, 1, SnpMeasurement.EPYC_V4_SIGNATURE, 0x21))
                .hasMessageContaining("no SNP_KERNEL_HASHES section");
        // without a kernel both images measure (their hashes pages, if any, as zero pages)
        assertThat(SnpMeasurement.of(withoutSection, null, 1, SnpMeasurement.EPYC_V4_SIGNATURE, 0x21).launchDigest())
                .hasSize(48);
        assertThat(SnpMeasurement.of(withoutTable, null, 1, SnpMeasurement.EPYC_V4_SIGNATURE, 0x21).launchDigest())
                .hasSize(48);
    }

    @Test
    void badInputsAreRejectedWithPreciseMessages() {
        assertThatThrownBy(() -> new LaunchDigest().update(PageType.NORMAL, 0x1001, new byte[4096]))
                .hasMessageContaining("GPA 0x1001 is not page aligned");
        assertThatThrownBy(() -> new LaunchDigest().update(PageType.VMSA, 0, null)).hasMessageContaining(
                "VMSA page at GPA 0x0 needs 4096 bytes");
        assertThatThrownBy(() -> new MetadataSection(0x1000, 0x10, MetadataSection.Type.CPUID)).hasMessageContaining(
                "must be page aligned");
        assertThatThrownBy(() -> MetadataSection.Type.fromCode(9)).hasMessageContaining("type 0x9");
        assertThatThrownBy(() -> new SnpMeasurement(new byte[48], List.of(), 0, 0, null, 0, 0, 0))
                .hasMessageContaining("vcpus must be at least 1");
    }
}
