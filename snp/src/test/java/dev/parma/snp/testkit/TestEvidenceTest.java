package dev.parma.snp.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.SigningKey;
import dev.parma.snp.abi.TcbParts;
import dev.parma.snp.sim.P384;
import dev.parma.snp.verify.ReportVerifier;
import dev.parma.snp.verify.VerificationException;
import dev.parma.snp.verify.VerificationException.Reason;
import dev.parma.snp.verify.VerifiedReport;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The testkit's evidence verifies by default, and each override produces the precise failure it targets. */
class TestEvidenceTest {

    static VerifiedReport verify(Evidence e) throws VerificationException {
        return ReportVerifier.create(e.roots()).verify(e.report(), e.chain(), e.validAt());
    }

    static void fails(Evidence e, Reason reason, String... parts) {
        var a = assertThatThrownBy(() -> verify(e)).isInstanceOfSatisfying(VerificationException.class, x -> assertThat(
                x.reason()).isEqualTo(reason));
        for (String p : parts) {
            a.hasMessageContaining(p);
        }
    }

    @Test
    void defaultEvidenceVerifiesForEveryProduct() throws Exception {
        for (Product p : Product.values()) {
            VerifiedReport v = verify(TestEvidence.builder(p).report(b -> b.vmpl(1)).build());
            assertThat(v.product()).isEqualTo(p);
            assertThat(v.report().vmpl()).isEqualTo(1);
        }
    }

    @Test
    void vlekEvidenceVerifies() throws Exception {
        VerifiedReport v = verify(TestEvidence.builder(Product.MILAN).vlek().build());
        assertThat(v.endorsement().keyType()).isEqualTo(SigningKey.VLEK);
        assertThat(v.report().chipId()).isEqualTo(new byte[64]);
    }

    @Test
    void expiredLeafFails() {
        Instant from = Instant.parse("2024-02-01T00:00:00Z");
        fails(TestEvidence.builder(Product.MILAN).leaf(s -> s.withValidity(from, from.plusSeconds(86400))).build(),
                Reason.CERTIFICATE_EXPIRED, "VCEK expired at 2024-02-02T00:00:00Z", "verification time is 2026-06-01");
    }

    @Test
    void mismatchedHwIdFails() {
        fails(TestEvidence.builder(Product.MILAN).leaf(s -> s.withHwId(new byte[64])).build(), Reason.HWID_MISMATCH,
                "VCEK hwID is " + "00".repeat(64));
    }

    @Test
    void turinHwIdMismatchComparesEightBytes() {
        fails(TestEvidence.builder(Product.TURIN).leaf(s -> s.withHwId(new byte[8])).build(), Reason.HWID_MISMATCH,
                "(8 bytes, rest zero)");
    }

    @Test
    void tcbMismatchFails() {
        fails(TestEvidence.builder(Product.GENOA).leaf(s -> s.withSpl(TcbParts.of(10, 0, 23, 83))).build(),
                Reason.TCB_MISMATCH, "ucode=84", "ucode=83");
    }

    @Test
    void wrongSigningKeyFails() {
        fails(TestEvidence.builder(Product.MILAN).signWith(P384.generate(new SecureRandom())).build(),
                Reason.BAD_SIGNATURE, "does not verify with the VCEK public key");
    }

    @Test
    void tamperingAfterSigningFails() {
        fails(TestEvidence.builder(Product.MILAN).afterSigning(b -> b[0x50] ^= 1).build(), Reason.BAD_SIGNATURE);
    }

    @Test
    void leafKindDifferentFromSignerInfoFails() {
        fails(TestEvidence.builder(Product.MILAN).leaf(s -> s.withKeyType(SigningKey.VLEK).withHwId(null)).build(),
                Reason.UNTRUSTED_CHAIN);
    }

    @Test
    void productNameThatContradictsTheRootFails() {
        fails(TestEvidence.builder(Product.MILAN).leaf(s -> s.withProductName("Genoa")).build(),
                Reason.PRODUCT_MISMATCH, "productName 'Genoa'", "MILAN ARK");
    }

    @Test
    void evidenceIsRejectedByAnAmdOnlyVerifier() {
        Evidence e = TestEvidence.builder(Product.MILAN).build();
        assertThatThrownBy(() -> ReportVerifier.create(dev.parma.snp.trust.RootStore.amd()).verify(e.report(), e
                .chain(), e.validAt())).isInstanceOfSatisfying(VerificationException.class, x -> assertThat(x.reason())
                        .isEqualTo(Reason.UNTRUSTED_CHAIN));
    }
}
