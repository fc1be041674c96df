package dev.parma.snp.verify;

import static dev.parma.snp.Anchors.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parma.snp.abi.AttestationReport;
import dev.parma.snp.abi.FirmwareVersion;
import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.SigningKey;
import dev.parma.snp.abi.TcbParts;
import dev.parma.snp.abi.TcbVersion;
import dev.parma.snp.trust.RootStore;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Every real anchor set verifies and parses to the values its README states. */
class RealAnchorsTest {
    static final ReportVerifier VERIFIER = ReportVerifier.create(RootStore.amd());
    static final HexFormat HEX = HexFormat.of();

    static byte[] ff32() {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) 0xFF);
        return b;
    }

    @Test
    void aciMilanV2() throws Exception {
        byte[] bytes = bytes("aci-milan-v2/report.bin");
        VerifiedReport v = VERIFIER.verify(bytes, pemChain("aci-milan-v2/vcek_ask_ark.pem"), NOW);
        AttestationReport r = v.report();
        assertThat(v.product()).isEqualTo(Product.MILAN);
        assertThat(r.version()).isEqualTo(2);
        assertThat(r.guestSvn()).isEqualTo(2);
        assertThat(r.policy().toLong()).isEqualTo(0x3001fL);
        assertThat(r.policy().smt()).isTrue();
        assertThat(r.policy().debug()).isFalse();
        assertThat(r.policy().abiMinor()).isEqualTo(31);
        assertThat(r.vmpl()).isZero();
        assertThat(r.signatureAlgo()).isEqualTo(1);
        assertThat(r.platformInfo().toLong()).isEqualTo(1);
        assertThat(r.signerInfo().toInt()).isZero();
        assertThat(r.familyId()).isEqualTo(hex("01000000000000000000000000000000"));
        assertThat(r.imageId()).isEqualTo(hex("02000000000000000000000000000000"));
        byte[] runtime = bytes("aci-milan-v2/runtime_data.json");
        assertThat(Arrays.copyOf(r.reportData(), 32)).isEqualTo(sha256(runtime));
        assertThat(HEX.formatHex(r.reportData())).isEqualTo(
                "ee986ff2bd7e3f22e29f640918627816cf8e23b9d9c312767168eab68c861c71" + "00".repeat(32));
        assertThat(HEX.formatHex(r.measurement())).isEqualTo(
                "51068107cdc7ee3d89c7821b05bca6147eb77b2005ae759050fc049b65a1b0beabc65a9d857acecf23225f5ec76849f5");
        byte[] policyText = Base64.getDecoder().decode(text("aci-milan-v2/cce_policy.rego.base64").trim());
        assertThat(r.hostData()).isEqualTo(sha256(policyText));
        assertThat(HEX.formatHex(r.hostData())).isEqualTo(
                "cadd74f71ebb8fbf9782baab649612520f3c416bc5ce9ac768808ddc8d9b031c");
        assertThat(HEX.formatHex(r.idKeyDigest())).isEqualTo(
                "d3ed82823f890b10087105c472e2957541ede92fda7bbb6bbf8660c411c78fec8128955bc6e0efbb24c0c4a781bfee59");
        assertThat(r.authorKeyDigest()).isEqualTo(new byte[48]);
        assertThat(HEX.formatHex(r.reportId())).isEqualTo(
                "f577d07df6f3aadf25afb2996b7e3fcdb5979c9044ce6c99853c747fc0e98613");
        assertThat(r.reportIdMa()).isEqualTo(ff32());
        TcbVersion tcb = new TcbVersion(0x7308000000000003L);
        assertThat(r.currentTcb()).isEqualTo(tcb);
        assertThat(r.reportedTcb()).isEqualTo(tcb);
        assertThat(r.committedTcb()).isEqualTo(tcb);
        assertThat(r.launchTcb()).isEqualTo(tcb);
        assertThat(tcb.parts(Product.MILAN)).isEqualTo(TcbParts.of(3, 0, 8, 115));
        assertThat(r.currentVersion()).isEqualTo(new FirmwareVersion(1, 52, 4));
        assertThat(HEX.formatHex(r.chipId()))
                .isEqualTo("b12164b45a2a27426e04ab52c5781d404fe2eab35ef5c4f714ce0fc23d2fb3f3"
                        + "e65631710244a4edfad191616be3366e48a6352b35128d748458bc9c282d0f5a");
        assertThat(v.endorsement().productName()).isEqualTo("Milan-B0");
        assertThat(v.endorsement().spl()).isEqualTo(TcbParts.of(3, 0, 8, 115));
        assertThat(v.endorsement().hwId()).isEqualTo(r.chipId());
        assertThat(r.toBytes()).isEqualTo(bytes);
    }

    @Test
    void aciThimBundleCarriesTheSameChainAndReportedTcb() throws Exception {
        var thim = new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes(
                "aci-milan-v2/thim_host_amd_certificate.json"));
        CertificateChain chain = CertificateChain.fromPem(thim.get("vcekCert").asText() + thim.get("certificateChain")
                .asText());
        VerifiedReport v = VERIFIER.verify(bytes("aci-milan-v2/report.bin"), chain, NOW);
        assertThat(thim.get("tcbm").asText()).isEqualTo(v.report().reportedTcb().hex());
    }

    @Test
    void maaDocsMilanV1() throws Exception {
        byte[] bytes = bytes("maa-docs-milan-v1/report.bin");
        VerifiedReport v = VERIFIER.verify(bytes, pemChain("maa-docs-milan-v1/vcek_ask_ark.pem"), NOW);
        AttestationReport r = v.report();
        assertThat(r.version()).isEqualTo(1);
        assertThat(r.guestSvn()).isEqualTo(1);
        assertThat(r.policy().toLong()).isEqualTo(0x3001fL);
        assertThat(r.platformInfo().toLong()).isEqualTo(1);
        assertThat(Arrays.copyOf(r.reportData(), 32)).isEqualTo(sha256(bytes("maa-docs-milan-v1/runtime_data.json")));
        assertThat(HEX.formatHex(r.measurement())).isEqualTo(
                "04a170f39a3f702472ed0c7ecbda9babfc530e3caac475fdd607ff499177d14c278c5a15ad07ceacd5230ae63d507e9d");
        assertThat(r.hostData()).isEqualTo(new byte[32]);
        assertThat(HEX.formatHex(r.idKeyDigest())).isEqualTo(
                "38ed94f9aab20bc5eb40e89c7cbb03aa1b9efb435892656ade789ccaa0ded82ff18bae0e849c3166351ba1fa7ff620a2");
        assertThat(HEX.formatHex(r.reportId())).isEqualTo(
                "d1d5c2c71596fae601433ecdfb62799de2a785cc08be3b1c8a4e26a381494787");
        assertThat(r.reportIdMa()).isEqualTo(r.reportId());
        assertThat(r.currentTcb().raw()).isEqualTo(0x2800000000000000L);
        assertThat(r.reportedTcb().parts(Product.MILAN)).isEqualTo(TcbParts.of(0, 0, 0, 40));
        assertThat(r.committedTcb().raw()).isZero();
        assertThat(r.launchTcb().raw()).isZero();
        assertThat(r.currentVersion()).isEqualTo(FirmwareVersion.ZERO);
        assertThat(HEX.formatHex(r.chipId())).startsWith("ce0ac7438a0f12de46b789008a8baea9");
        assertThat(r.toBytes()).isEqualTo(bytes);
    }

    @Test
    void gcpMilanV5() throws Exception {
        byte[] bytes = bytes("gcp-milan-v5/report.bin");
        VerifiedReport v = VERIFIER.verify(bytes, pemChain("gcp-milan-v5/vcek.pem"), NOW);
        AttestationReport r = v.report();
        assertThat(r.version()).isEqualTo(5);
        assertThat(r.guestSvn()).isZero();
        assertThat(r.policy().toLong()).isEqualTo(0x30000L);
        assertThat(r.vmpl()).isZero();
        assertThat(r.platformInfo().toLong()).isEqualTo(0x25);
        assertThat(r.platformInfo().smtEnabled()).isTrue();
        assertThat(r.platformInfo().eccEnabled()).isTrue();
        assertThat(r.platformInfo().aliasCheckComplete()).isTrue();
        assertThat(r.signerInfo().signingKey()).isEqualTo(SigningKey.VCEK);
        assertThat(new int[]{r.cpuidFamId(), r.cpuidModId(), r.cpuidStep()}).containsExactly(0x19, 0x01, 0x01);
        assertThat(r.reportData()).isEqualTo(new byte[64]);
        assertThat(HEX.formatHex(r.measurement())).isEqualTo(
                "b747d55452e0b9e9079770a49e397c5e6d9573581e246da7baac4f28b5cdc5b1b6d19251b8ee600fd16a3708f58406f3");
        assertThat(r.hostData()).isEqualTo(new byte[32]);
        assertThat(r.idKeyDigest()).isEqualTo(new byte[48]);
        assertThat(HEX.formatHex(r.reportId())).isEqualTo(
                "9a0603343e711e1ec9b6b046023da5378e7c4cac6182e35d4f3ebeb46aef6c80");
        TcbVersion tcb = new TcbVersion(0xde1b000000000004L);
        assertThat(r.currentTcb()).isEqualTo(tcb);
        assertThat(r.reportedTcb()).isEqualTo(tcb);
        assertThat(r.committedTcb()).isEqualTo(tcb);
        assertThat(r.launchTcb()).isEqualTo(tcb);
        assertThat(v.endorsement().spl()).isEqualTo(TcbParts.of(4, 0, 27, 222));
        assertThat(v.endorsement().productName()).isEqualTo("Milan-B0");
        assertThat(r.currentVersion()).isEqualTo(new FirmwareVersion(1, 55, 35));
        assertThat(r.launchMitVector()).isEqualTo(0xbL);
        assertThat(r.currentMitVector()).isEqualTo(0xbL);
        assertThat(HEX.formatHex(r.chipId())).startsWith("980cf7b61876cb37fd517cd44ce11c72");
        assertThat(r.toBytes()).isEqualTo(bytes);
    }

    @Test
    void gcpMilanV5X25519BoundReport() throws Exception {
        VerifiedReport v = VERIFIER.verify(bytes("gcp-milan-v5/report_x25519_bound.bin"), pemChain(
                "gcp-milan-v5/vcek_x25519.pem"), NOW);
        assertThat(v.report().vmpl()).isEqualTo(1);
        String[] lines = text("gcp-milan-v5/report_x25519_bound.txt").trim().split("\n");
        byte[] nonce = hex(lines[0].split("=")[1].trim());
        byte[] key = hex(lines[1].split("=")[1].trim());
        java.security.MessageDigest sha512 = java.security.MessageDigest.getInstance("SHA-512");
        sha512.update(nonce);
        sha512.update(key);
        assertThat(v.report().reportData()).isEqualTo(sha512.digest());
    }

    @Test
    void genoaAzureCvmV3() throws Exception {
        byte[] bytes = bytes("genoa-v3/azure_cvm_report.bin");
        VerifiedReport v = VERIFIER.verify(bytes, pemChain("genoa-v3/azure_cvm_vcek.pem"), NOW);
        AttestationReport r = v.report();
        assertThat(v.product()).isEqualTo(Product.GENOA);
        assertThat(r.version()).isEqualTo(3);
        assertThat(r.guestSvn()).isEqualTo(0x1000B);
        assertThat(r.policy().toLong()).isEqualTo(0x3001fL);
        assertThat(r.platformInfo().toLong()).isEqualTo(0x24);
        assertThat(new int[]{r.cpuidFamId(), r.cpuidModId(), r.cpuidStep()}).containsExactly(0x19, 0x11, 0x01);
        assertThat(r.familyId()).isEqualTo(hex("01232000000000000000000000000000"));
        assertThat(HEX.formatHex(r.reportData())).isEqualTo(
                "b581f12e29a2d7d64e5e0b738d563879a78b51c644d0fa0cce02b48699f6bf5f" + "00".repeat(32));
        assertThat(HEX.formatHex(r.measurement())).isEqualTo(
                "f57dc09a507c6ecd82369bffb600f0003792f4d99bc26e985ec0c266fc34faf3706faf814c9e61065768a6ff917c89ae");
        assertThat(HEX.formatHex(r.idKeyDigest())).isEqualTo(
                "942fd93ebde6ea7a96efadeafc60f1c6b3d10e703b1dafd7555b92f7f3d32d0e006767648cba5b102af3d65756af4177");
        assertThat(r.reportedTcb().raw()).isEqualTo(0x541700000000000aL);
        assertThat(r.reportedTcb().parts(Product.GENOA)).isEqualTo(TcbParts.of(10, 0, 23, 84));
        assertThat(r.currentVersion()).isEqualTo(new FirmwareVersion(1, 55, 40));
        assertThat(v.endorsement().productName()).isEqualTo("Genoa");
        assertThat(HEX.formatHex(r.chipId())).startsWith("0506ffba875e939c2729d20c74eb72b4");
        assertThat(r.toBytes()).isEqualTo(bytes);
    }

    @Test
    void genoaModelA0V3() throws Exception {
        byte[] bytes = bytes("genoa-v3/model_a0_report.bin");
        VerifiedReport v = VERIFIER.verify(bytes, derLeaf("genoa-v3/model_a0_vcek.der"), NOW);
        AttestationReport r = v.report();
        assertThat(v.product()).isEqualTo(Product.GENOA);
        assertThat(r.version()).isEqualTo(3);
        assertThat(new int[]{r.cpuidFamId(), r.cpuidModId(), r.cpuidStep()}).containsExactly(0x19, 0xA0, 0x02);
        assertThat(r.policy().toLong()).isEqualTo(0x30000L);
        assertThat(r.platformInfo().toLong()).isEqualTo(0x25);
        assertThat(HEX.formatHex(r.measurement())).isEqualTo(
                "6a6519d757e68c2e939c9dbbbc1828498e8de35d2766dd05f1a2cca5059d0cf4ae62a36d75c837974dd50b315506e73e");
        assertThat(r.reportedTcb().raw()).isEqualTo(0x191700000000000aL);
        assertThat(r.reportedTcb().parts(Product.GENOA)).isEqualTo(TcbParts.of(10, 0, 23, 25));
        assertThat(r.currentVersion()).isEqualTo(new FirmwareVersion(1, 55, 40));
        assertThat(HEX.formatHex(r.chipId())).startsWith("371c55d6d15cb50f16dc31d39a24e300");
        assertThat(r.toBytes()).isEqualTo(bytes);
    }

    @Test
    void awsMilanVlekV3WithPinnedClock() throws Exception {
        byte[] bytes = bytes("aws-milan-vlek-v3/report.bin");
        VerifiedReport v = VERIFIER.verify(bytes, derLeaf("aws-milan-vlek-v3/vlek.der"), AWS_TIME);
        AttestationReport r = v.report();
        assertThat(r.version()).isEqualTo(3);
        assertThat(r.vmpl()).isEqualTo(1);
        assertThat(r.policy().toLong()).isEqualTo(0x30000L);
        assertThat(r.platformInfo().toLong()).isEqualTo(0x27);
        assertThat(r.signerInfo().toInt()).isEqualTo(0x4);
        assertThat(r.signerInfo().signingKey()).isEqualTo(SigningKey.VLEK);
        assertThat(r.chipId()).isEqualTo(new byte[64]);
        assertThat(r.currentTcb().raw()).isEqualTo(0xdc18000000000004L);
        assertThat(r.reportedTcb().raw()).isEqualTo(0xd918000000000004L);
        assertThat(r.committedTcb().raw()).isEqualTo(0xdb18000000000004L);
        assertThat(r.launchTcb().raw()).isEqualTo(0xdb18000000000004L);
        assertThat(HEX.formatHex(r.measurement())).isEqualTo(
                "8922ebbdd00ec2c541f36a6e7a82a8773a7accb451ed67bc94e740dbe92c93c4e8c9af857f5ceeb5a493df2a570d7bf0");
        assertThat(HEX.formatHex(r.reportData())).startsWith("819770b7e6ea6df8dd8fd4dd146b073c");
        assertThat(new int[]{r.cpuidFamId(), r.cpuidModId(), r.cpuidStep()}).containsExactly(0x19, 0x01, 0x01);
        assertThat(r.currentVersion()).isEqualTo(new FirmwareVersion(1, 55, 29));
        assertThat(v.endorsement().keyType()).isEqualTo(SigningKey.VLEK);
        assertThat(v.endorsement().productName()).isEqualTo("Milan");
        assertThat(v.endorsement().spl().microcode()).isEqualTo(217);
        assertThat(v.endorsement().cspId()).isEqualTo("CN=cc-us-east-2.amazonaws.com");
        assertThat(v.endorsement().hwIdBytes()).isEmpty();
        assertThat(r.toBytes()).isEqualTo(bytes);
    }
}
