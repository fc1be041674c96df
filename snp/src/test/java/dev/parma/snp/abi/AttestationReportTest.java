package dev.parma.snp.abi;

import static dev.parma.snp.Anchors.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AttestationReportTest {

    static byte[] random(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    static AttestationReport randomReport(Random rnd) {
        int version = new int[]{1, 2, 3, 4, 5}[rnd.nextInt(5)];
        long policy = (rnd.nextLong() & ((1L << 26) - 1)) | 1L << 17;
        long platform = rnd.nextLong() & 0xBF;
        int signer = rnd.nextInt(4) | (rnd.nextBoolean() ? 0 : 1 << 2);
        AttestationReport.Builder b = AttestationReport.builder().version(version).guestSvn(rnd.nextInt()).policy(
                GuestPolicy.parse(policy)).familyId(random(rnd, 16)).imageId(random(rnd, 16)).vmpl(rnd.nextInt())
                .signatureAlgo(rnd.nextInt()).currentTcb(new TcbVersion(rnd.nextLong()))
                .platformInfo(PlatformInfo.parse(
                        platform))
                .signerInfo(SignerInfo.parse(signer)).reportData(random(rnd, 64)).measurement(random(rnd,
                        48))
                .hostData(random(rnd, 32)).idKeyDigest(random(rnd, 48)).authorKeyDigest(random(rnd, 48))
                .reportId(random(rnd, 32)).reportIdMa(random(rnd, 32)).reportedTcb(new TcbVersion(rnd.nextLong()))
                .chipId(random(rnd, 64)).committedTcb(new TcbVersion(rnd.nextLong()))
                .currentVersion(new FirmwareVersion(
                        rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)))
                .committedVersion(new FirmwareVersion(rnd
                        .nextInt(256), rnd.nextInt(256), rnd.nextInt(256)))
                .launchTcb(new TcbVersion(rnd.nextLong()))
                .signature(new ReportSignature(new BigInteger(1, random(rnd, 72)), new BigInteger(1, random(rnd, 48))));
        if (version >= 3) {
            b.cpuid(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256));
        }
        if (version >= 5) {
            b.mitVectors(rnd.nextLong(), rnd.nextLong());
        }
        return b.build();
    }

    @Test
    void randomReportsSurviveComposeParse() {
        Random rnd = new Random(20261125);
        for (int i = 0; i < 2000; i++) {
            AttestationReport r = randomReport(rnd);
            byte[] bytes = r.toBytes();
            assertThat(bytes).hasSize(ReportLayout.REPORT_SIZE);
            AttestationReport back = AttestationReport.parse(bytes);
            assertThat(back).isEqualTo(r);
            assertThat(back.toBytes()).isEqualTo(bytes);
            assertThat(back.policy()).isEqualTo(r.policy());
            assertThat(back.signature()).isEqualTo(r.signature());
        }
    }

    @Test
    void nonZeroReservedRangesAreRejectedByName() {
        byte[] gcp = bytes("gcp-milan-v5/report.bin");
        expect(gcp, 0x04C, "reserved 0x04C-0x04F");
        expect(gcp, 0x18B, "reserved 0x18B-0x19F");
        expect(gcp, 0x1EB, "reserved 0x1EB");
        expect(gcp, 0x1EF, "reserved 0x1EF");
        expect(gcp, 0x208, "reserved 0x208-0x29F");
        expect(gcp, 0x29F, "reserved 0x208-0x29F");
        expect(gcp, 0x330, "SIGNATURE reserved 0x330-0x49F");
        expect(gcp, 0x49F, "SIGNATURE reserved 0x330-0x49F");
        byte[] aci = bytes("aci-milan-v2/report.bin");
        expect(aci, 0x188, "reserved 0x188-0x19F (version 2)");
        expect(aci, 0x1F8, "reserved 0x1F8-0x29F (version 2)");
    }

    static void expect(byte[] original, int offset, String field) {
        byte[] b = original.clone();
        b[offset] ^= 0x01;
        assertThatThrownBy(() -> AttestationReport.parse(b)).isInstanceOfSatisfying(AbiException.class, e -> assertThat(
                e.field()).isEqualTo(field)).hasMessageContaining(String.format("byte 0x%03X", offset));
    }

    @Test
    void reservedValuesInBitfieldsAreRejectedByName() {
        assertThatThrownBy(() -> GuestPolicy.parse(0x10000)).isInstanceOfSatisfying(AbiException.class, e -> assertThat(
                e.field()).isEqualTo("POLICY")).hasMessageContaining("reserved bit 17 must be 1");
        assertThatThrownBy(() -> GuestPolicy.parse(0x30000L | 1L << 26)).hasMessageContaining("bits 63:26 are MBZ");
        assertThatThrownBy(() -> SignerInfo.parse(2 << 2)).isInstanceOfSatisfying(AbiException.class, e -> assertThat(e
                .field()).isEqualTo("SIGNING_KEY")).hasMessageContaining("reserved value 2");
        assertThatThrownBy(() -> SignerInfo.parse(1 << 5)).hasMessageContaining("SIGNER_INFO: bits 31:5 are MBZ");
        assertThatThrownBy(() -> PlatformInfo.parse(1 << 6)).hasMessageContaining("PLATFORM_INFO: reserved bits");
        assertThatThrownBy(() -> PlatformInfo.parse(1 << 8)).hasMessageContaining("PLATFORM_INFO: reserved bits");
    }

    @Test
    void structuralErrorsNameTheField() {
        assertThatThrownBy(() -> AttestationReport.parse(null)).hasMessage("ATTESTATION_REPORT: is null");
        assertThatThrownBy(() -> AttestationReport.parse(new byte[1183])).hasMessage(
                "ATTESTATION_REPORT: size is 1183 bytes, want 1184");
        byte[] v9 = bytes("gcp-milan-v5/report.bin");
        v9[0] = 9;
        assertThatThrownBy(() -> AttestationReport.parse(v9))
                .hasMessageContaining("VERSION: unsupported report version 9");
        assertThatThrownBy(() -> AttestationReport.builder().measurement(new byte[47]).build()).hasMessage(
                "MEASUREMENT: length is 47 bytes, want 48");
        assertThatThrownBy(() -> AttestationReport.builder().hostData(null).build()).hasMessage(
                "HOST_DATA: must not be null");
        assertThatThrownBy(() -> AttestationReport.builder().version(2).cpuid(0x19, 1, 1).build())
                .hasMessageContaining("CPUID fields are reserved before version 3");
        assertThatThrownBy(() -> AttestationReport.builder().version(3).mitVectors(1, 0).build())
                .hasMessageContaining("reserved before version 5");
        assertThatThrownBy(() -> AttestationReport.builder().version(2).build().productFromCpuid())
                .hasMessageContaining("carries no CPUID fields");
    }

    @Test
    void signatureComponentsAreLittleEndian72Bytes() {
        byte[] gcp = bytes("gcp-milan-v5/report.bin");
        ReportSignature s = AttestationReport.parse(gcp).signature();
        assertThat(s.r().bitLength()).isLessThanOrEqualTo(384);
        assertThat(s.r().toByteArray()[s.r().toByteArray().length - 1]).isEqualTo(gcp[ReportLayout.SIGNATURE_R]);
        assertThat(s.s().toByteArray()[s.s().toByteArray().length - 1]).isEqualTo(gcp[ReportLayout.SIGNATURE_S]);
    }
}
