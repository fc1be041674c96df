package dev.parma.snp.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parma.snp.abi.GuestPolicy;
import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.SigningKey;
import dev.parma.snp.kds.KdsRequest;
import dev.parma.snp.testkit.FakeKds;
import dev.parma.snp.testkit.TestAuthorities;
import dev.parma.snp.trust.ProductRoots;
import dev.parma.snp.trust.RootStore;
import dev.parma.snp.verify.ReportVerifier;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** A simulated platform survives a restart, and verifiers can load its public roots from KDS-style bodies. */
class SimPersistenceTest {
    static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");

    @Test
    void restoredAuthorityAndChipProduceReportsTheOriginalRootsAccept() throws Exception {
        SimAuthority original = TestAuthorities.shared(Product.MILAN);
        SimChip chip = SimChip.random(Product.MILAN, new SecureRandom());

        SimAuthority restored = SimAuthority.fromPem(original.toPem());
        SimChip restoredChip = SimChip.of(Product.MILAN, chip.chipId(), chip.secret());
        assertThat(restored.roots()).isEqualTo(original.roots());
        assertThat(restoredChip.vcekKey(SimConfig.defaults(Product.MILAN).reportedTcb()).getD()).isEqualTo(chip
                .vcekKey(SimConfig.defaults(Product.MILAN).reportedTcb()).getD());

        SecureProcessor sp = SecureProcessor.create(restored, restoredChip, SimConfig.defaults(Product.MILAN), Clock
                .fixed(NOW, ZoneOffset.UTC), new SecureRandom());
        SimGuest guest = sp.launchStart(GuestPolicy.defaults()).finish(new byte[32]);
        ReportVerifier.create(RootStore.amd().with(original.roots())).verify(guest.report(new byte[64], 0), guest
                .certificateChain(), NOW);
    }

    @Test
    void rootsLoadFromKdsCertChainBodies() throws Exception {
        SimAuthority auth = TestAuthorities.shared(Product.GENOA);
        FakeKds kds = new FakeKds(auth);
        String vcekChain = new String(kds.fetch(new KdsRequest.CertChain(Product.GENOA, SigningKey.VCEK)),
                StandardCharsets.US_ASCII);
        String vlekChain = new String(kds.fetch(new KdsRequest.CertChain(Product.GENOA, SigningKey.VLEK)),
                StandardCharsets.US_ASCII);
        assertThat(ProductRoots.fromCertChains(Product.GENOA, vcekChain, vlekChain)).isEqualTo(auth.roots());
        assertThatThrownBy(() -> ProductRoots.fromCertChains(Product.GENOA, vlekChain.substring(0, vlekChain.indexOf(
                "-----END CERTIFICATE-----") + 25), null)).hasMessageContaining("must hold ASK then ARK, got 1");
    }
}
