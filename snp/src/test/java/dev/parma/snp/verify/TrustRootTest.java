package dev.parma.snp.verify;

import static dev.parma.snp.Anchors.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parma.snp.abi.Product;
import dev.parma.snp.testkit.Evidence;
import dev.parma.snp.testkit.TestAuthorities;
import dev.parma.snp.testkit.TestEvidence;
import dev.parma.snp.trust.ProductRoots;
import dev.parma.snp.trust.RootStore;
import dev.parma.snp.trust.TrustRoot;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A verified report says which root its chain ended at: AMD's production ARK of its product for real evidence, the
 * explicitly trusted simulator root for simulated evidence — with one verifier that trusts both.
 */
class TrustRootTest {
    /** One store for real hardware and the shared Milan simulator, as a deployment that trusts both has. */
    static final ReportVerifier BOTH = ReportVerifier.create(RootStore.amd().with(TestAuthorities.shared(
            Product.MILAN).roots()));

    @Test
    void realAnchorsChainToAmdsProductionRootOfTheirProduct() throws Exception {
        VerifiedReport aci = BOTH.verify(bytes("aci-milan-v2/report.bin"), pemChain("aci-milan-v2/vcek_ask_ark.pem"),
                NOW);
        assertThat(aci.root()).isEqualTo(new TrustRoot.Amd(Product.MILAN, sha256Hex(RootStore.loadAmd(Product.MILAN)
                .ark().getEncoded())));
        assertThat(aci.simulated()).isFalse();

        VerifiedReport genoa = BOTH.verify(bytes("genoa-v3/azure_cvm_report.bin"), pemChain(
                "genoa-v3/azure_cvm_vcek.pem"), NOW);
        assertThat(genoa.root()).isInstanceOf(TrustRoot.Amd.class);
        assertThat(genoa.root().product()).isEqualTo(Product.GENOA);
    }

    @Test
    void simulatorEvidenceChainsToTheSimulatorRootItWasGiven() throws Exception {
        Evidence e = TestEvidence.builder(Product.MILAN).build();
        VerifiedReport v = BOTH.verify(e.report(), e.chain(), e.validAt());
        String simArk = sha256Hex(TestAuthorities.shared(Product.MILAN).ark().getEncoded());
        assertThat(v.root()).isEqualTo(new TrustRoot.Simulator(Product.MILAN, simArk));
        assertThat(v.simulated()).isTrue();
        // the second report of the same chip comes from the chain cache and says the same
        assertThat(BOTH.verify(e.report(), e.chain(), e.validAt()).root()).isEqualTo(v.root());
    }

    @Test
    void theKindFollowsTheArkNotTheCallersLabel() {
        ProductRoots amdGenoa = RootStore.loadAmd(Product.GENOA);
        assertThat(RootStore.of(List.of(amdGenoa)).entries().get(0).root()).isInstanceOf(TrustRoot.Amd.class);
        assertThat(RootStore.of(List.of(TestAuthorities.shared(Product.GENOA).roots())).entries().get(0).root())
                .isInstanceOf(TrustRoot.Simulator.class);
        ProductRoots milanArkCalledGenoa = new ProductRoots(Product.GENOA, RootStore.loadAmd(Product.MILAN).ark(),
                RootStore.loadAmd(Product.MILAN).ask(), null);
        assertThatThrownBy(() -> RootStore.amd().with(milanArkCalledGenoa)).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("AMD's MILAN ARK");
    }

    @Test
    void amdOnlyVerifierStillRefusesSimulatorEvidence() {
        Evidence e = TestEvidence.builder(Product.MILAN).build();
        assertThatThrownBy(() -> ReportVerifier.create(RootStore.amd()).verify(e.report(), e.chain(), e.validAt()))
                .isInstanceOfSatisfying(VerificationException.class, x -> assertThat(x.reason()).isEqualTo(
                        VerificationException.Reason.UNTRUSTED_CHAIN));
    }

    static String sha256Hex(byte[] der) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    }
}
