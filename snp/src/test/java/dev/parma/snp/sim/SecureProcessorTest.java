package dev.parma.snp.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parma.snp.abi.AttestationReport;
import dev.parma.snp.abi.FirmwareVersion;
import dev.parma.snp.abi.GuestPolicy;
import dev.parma.snp.abi.IdBlock;
import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.TcbParts;
import dev.parma.snp.kds.KdsOids;
import dev.parma.snp.measure.LaunchDigest;
import dev.parma.snp.measure.PageType;
import dev.parma.snp.trust.AmdSignatures;
import dev.parma.snp.trust.RootStore;
import dev.parma.snp.verify.ReportVerifier;
import dev.parma.snp.verify.VerificationException;
import dev.parma.snp.verify.VerifiedReport;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SecureProcessorTest {
    static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");
    static final SecureRandom RND = new SecureRandom();

    static SecureProcessor sp(Product product, SimConfig config) {
        return SecureProcessor.create(dev.parma.snp.testkit.TestAuthorities.shared(product),
                SimChip.random(product, RND), config, Clock
                        .fixed(NOW, ZoneOffset.UTC),
                RND);
    }

    static byte[] page(int fill) {
        byte[] p = new byte[4096];
        Arrays.fill(p, (byte) fill);
        return p;
    }

    static byte[] data(int n, int seed) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) seed);
        return b;
    }

    @Test
    void milanGuestReportVerifiesThroughTheSamePathAsRealOnes() throws Exception {
        SecureProcessor sp = sp(Product.MILAN, SimConfig.defaults(Product.MILAN));
        GuestLaunch launch = sp.launchStart(GuestPolicy.defaults());
        launch.updateNormal(0xFFFF0000L, data(4 * 4096, 7)).updateRange(PageType.ZERO, 0x800000, 0x3000)
                .update(PageType.SECRETS, 0x80d000, null).update(PageType.CPUID, 0x80e000, null).updateVmsa(page(1));
        byte[] expected = new LaunchDigest().updateNormal(0xFFFF0000L, data(4 * 4096, 7)).updateRange(PageType.ZERO,
                0x800000, 0x3000).update(PageType.SECRETS, 0x80d000, null).update(PageType.CPUID, 0x80e000, null)
                .updateVmsa(page(1)).digest();
        SimGuest guest = launch.finish(data(32, 0x42));
        byte[] reportData = data(64, 0x11);

        byte[] bytes = guest.report(reportData, 2);
        VerifiedReport v = ReportVerifier.create(RootStore.amd().with(sp.authority().roots())).verify(bytes, guest
                .certificateChain(), NOW);

        AttestationReport r = v.report();
        assertThat(v.product()).isEqualTo(Product.MILAN);
        assertThat(r.version()).isEqualTo(3);
        assertThat(r.vmpl()).isEqualTo(2);
        assertThat(r.reportData()).isEqualTo(reportData);
        assertThat(r.hostData()).isEqualTo(data(32, 0x42));
        assertThat(r.measurement()).isEqualTo(expected);
        assertThat(r.reportIdMa()).isEqualTo(data(32, 0xFF));
        assertThat(r.reportId()).isEqualTo(guest.reportId()).isNotEqualTo(new byte[32]);
        assertThat(r.chipId()).isEqualTo(sp.chip().chipId());
        assertThat(r.currentVersion()).isEqualTo(new FirmwareVersion(1, 55, 40));
        assertThat(r.committedVersion()).isEqualTo(new FirmwareVersion(1, 55, 40));
        assertThat(r.reportedTcb().parts(Product.MILAN)).isEqualTo(TcbParts.of(4, 0, 27, 222));
        assertThat(r.launchTcb()).isEqualTo(r.currentTcb());
        assertThat(r.policy().debug()).isFalse();
        assertThat(v.endorsement().hwId()).isEqualTo(sp.chip().chipId());
        // a second report of the same guest keeps REPORT_ID; another guest gets a new one
        assertThat(AttestationReport.parse(guest.report(reportData, 0)).reportId()).isEqualTo(guest.reportId());
        SimGuest other = sp.launchStart(GuestPolicy.defaults()).finish(new byte[32]);
        assertThat(other.reportId()).isNotEqualTo(guest.reportId());
    }

    @Test
    void simulatorReportsFailWhenTheSimulatorRootIsNotTrusted() throws Exception {
        SecureProcessor sp = sp(Product.MILAN, SimConfig.defaults(Product.MILAN));
        SimGuest guest = sp.launchStart(GuestPolicy.defaults()).finish(new byte[32]);
        byte[] bytes = guest.report(new byte[64], 0);
        assertThatThrownBy(() -> ReportVerifier.create(RootStore.amd()).verify(bytes, guest.certificateChain(), NOW))
                .isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e.reason()).isEqualTo(
                        VerificationException.Reason.UNTRUSTED_CHAIN));
        // and the leaf alone, without the supplied sim ASK/ARK, does not chain to AMD either
        assertThatThrownBy(() -> ReportVerifier.create(RootStore.amd()).verify(bytes,
                dev.parma.snp.verify.CertificateChain.ofLeaf(sp.vcek()), NOW)).isInstanceOfSatisfying(
                        VerificationException.class, e -> assertThat(e.getMessage()).contains(
                                "signature did not verify under [MILAN"));
    }

    @Test
    void turinV5ReportUsesEightByteHwIdAndTurinTcbLayout() throws Exception {
        SecureProcessor sp = sp(Product.TURIN, SimConfig.defaults(Product.TURIN));
        SimGuest guest = sp.launchStart(GuestPolicy.defaults()).finish(new byte[32]);
        VerifiedReport v = ReportVerifier.create(RootStore.amd().with(sp.authority().roots())).verify(guest.report(
                new byte[64], 0), guest.certificateChain(), NOW);
        assertThat(v.product()).isEqualTo(Product.TURIN);
        assertThat(v.report().version()).isEqualTo(5);
        assertThat(v.report().launchMitVector()).isEqualTo(3);
        assertThat(v.endorsement().hwId()).hasSize(8);
        assertThat(Arrays.copyOfRange(v.report().chipId(), 8, 64)).isEqualTo(new byte[56]);
        assertThat(v.endorsement().spl()).isEqualTo(new TcbParts(1, 1, 1, 4, 72));
        assertThat(v.endorsement().structVersion()).isEqualTo(1);
    }

    @Test
    void genoaCanEmitVersion5() throws Exception {
        SecureProcessor sp = sp(Product.GENOA, SimConfig.defaults(Product.GENOA).withReportVersion(5));
        SimGuest guest = sp.launchStart(GuestPolicy.defaults()).finish(new byte[32]);
        VerifiedReport v = ReportVerifier.create(RootStore.amd().with(sp.authority().roots())).verify(guest.report(
                new byte[64], 1), guest.certificateChain(), NOW);
        assertThat(v.report().version()).isEqualTo(5);
        assertThat(v.product()).isEqualTo(Product.GENOA);
    }

    @Test
    void reportedTcbBelowCurrentGivesAVcekForTheReportedTcb() throws Exception {
        SimConfig config = SimConfig.defaults(Product.MILAN).withReportedTcb(TcbParts.of(4, 0, 27, 200));
        SecureProcessor sp = sp(Product.MILAN, config);
        SimGuest guest = sp.launchStart(GuestPolicy.defaults()).finish(new byte[32]);
        VerifiedReport v = ReportVerifier.create(RootStore.amd().with(sp.authority().roots())).verify(guest.report(
                new byte[64], 0), guest.certificateChain(), NOW);
        assertThat(v.endorsement().spl().microcode()).isEqualTo(200);
        assertThat(v.report().currentTcb().parts(Product.MILAN).microcode()).isEqualTo(222);
    }

    @Test
    void idBlockSetsFamilyImageSvnAndIdKeyDigest() throws Exception {
        SecureProcessor sp = sp(Product.MILAN, SimConfig.defaults(Product.MILAN));
        GuestLaunch launch = sp.launchStart(GuestPolicy.defaults()).updateNormal(0, page(3));
        byte[] ld = launch.measurement();
        IdBlock block = new IdBlock(ld, data(16, 1), data(16, 2), 7, GuestPolicy.defaults());
        var idKey = P384.generate(RND);
        IdAuth auth = IdAuth.sign(block, idKey, RND);
        SimGuest guest = launch.finish(new byte[32], block, auth);
        AttestationReport r = ReportVerifier.create(RootStore.amd().with(sp.authority().roots())).verify(guest
                .report(new byte[64], 0), guest.certificateChain(), NOW).report();
        assertThat(r.familyId()).isEqualTo(data(16, 1));
        assertThat(r.imageId()).isEqualTo(data(16, 2));
        assertThat(r.guestSvn()).isEqualTo(7);
        assertThat(r.idKeyDigest()).isEqualTo(auth.idKey().digest()).isNotEqualTo(new byte[48]);
    }

    @Test
    void idBlockWithWrongLaunchDigestOrSignatureIsRefused() {
        SecureProcessor sp = sp(Product.MILAN, SimConfig.defaults(Product.MILAN));
        var idKey = P384.generate(RND);
        GuestLaunch launch = sp.launchStart(GuestPolicy.defaults()).updateNormal(0, page(3));
        IdBlock wrongLd = new IdBlock(new byte[48], data(16, 1), data(16, 2), 7, GuestPolicy.defaults());
        assertThatThrownBy(() -> launch.finish(new byte[32], wrongLd, IdAuth.sign(wrongLd, idKey, RND)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ID_BLOCK.LD");
        IdBlock good = new IdBlock(launch.measurement(), data(16, 1), data(16, 2), 7, GuestPolicy.defaults());
        IdBlock other = new IdBlock(launch.measurement(), data(16, 1), data(16, 2), 8, GuestPolicy.defaults());
        assertThatThrownBy(() -> launch.finish(new byte[32], good, IdAuth.sign(other, idKey, RND)))
                .hasMessageContaining("ID_BLOCK_SIG");
        IdBlock debug = new IdBlock(launch.measurement(), data(16, 1), data(16, 2), 7, GuestPolicy.defaults()
                .withDebug(true));
        assertThatThrownBy(() -> launch.finish(new byte[32], debug, IdAuth.sign(debug, idKey, RND)))
                .hasMessageContaining("ID_BLOCK.POLICY");
    }

    @Test
    void launchIsSingleUseAndInputsAreChecked() {
        SecureProcessor sp = sp(Product.MILAN, SimConfig.defaults(Product.MILAN));
        GuestLaunch launch = sp.launchStart(GuestPolicy.defaults());
        SimGuest guest = launch.finish(new byte[32]);
        assertThatThrownBy(() -> launch.updateNormal(0, page(0))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("LAUNCH_UPDATE: the launch is already finished");
        assertThatThrownBy(() -> guest.report(new byte[64], 4)).hasMessageContaining("VMPL must be 0..3, got 4");
        assertThatThrownBy(() -> guest.report(new byte[10], 0)).hasMessageContaining("REPORT_DATA must be 64 bytes");
        assertThatThrownBy(() -> sp.launchStart(GuestPolicy.defaults()).finish(new byte[3])).hasMessageContaining(
                "HOST_DATA must be 32 bytes, got 3");
    }

    @Test
    void certificatesHaveAmdsShape() {
        SecureProcessor sp = sp(Product.MILAN, SimConfig.defaults(Product.MILAN));
        var vcek = sp.vcek();
        assertThat(vcek.getSerialNumber()).isEqualTo(BigInteger.ZERO);
        assertThat(vcek.getVersion()).isEqualTo(3);
        assertThat(vcek.getSubjectX500Principal().getName()).isEqualTo(
                "CN=SEV-VCEK,O=Advanced Micro Devices,ST=CA,L=Santa Clara,C=US,OU=Engineering");
        assertThat(vcek.getCriticalExtensionOIDs()).isNullOrEmpty();
        assertThat(vcek.getNonCriticalExtensionOIDs()).hasSize(11).allMatch(o -> o.startsWith(KdsOids.ARC));
        assertThat(vcek.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(AmdSignatures.checkPss(vcek)).isNull();
        assertThat(AmdSignatures.checkPss(sp.authority().ark())).isNull();
        assertThat(sp.authority().ark().getSubjectX500Principal().getName()).startsWith("CN=ARK-Milan");
        assertThat(sp.authority().ask().getBasicConstraints()).isZero();
        assertThat(java.time.Duration.between(vcek.getNotBefore().toInstant(), vcek.getNotAfter().toInstant())
                .toDays()).isBetween(7 * 365L, 7 * 366L);
    }
}
