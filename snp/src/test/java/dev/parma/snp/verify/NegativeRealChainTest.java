package dev.parma.snp.verify;

import static dev.parma.snp.Anchors.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.ReportLayout;
import dev.parma.snp.trust.ProductRoots;
import dev.parma.snp.trust.RootStore;
import dev.parma.snp.verify.VerificationException.Reason;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Wrong chains, expired certificates and broken bindings on real evidence fail with precise errors. */
class NegativeRealChainTest {
    static final ReportVerifier VERIFIER = ReportVerifier.create(RootStore.amd());

    static void fails(ThrowingCallable call, Reason reason, String... messageParts) {
        var a = assertThatThrownBy(call).isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e
                .reason()).isEqualTo(reason));
        for (String part : messageParts) {
            a.hasMessageContaining(part);
        }
    }

    @Test
    void suppliedIntermediateAndRootFromAnotherProductAreRejected() {
        CertificateChain aci = pemChain("aci-milan-v2/vcek_ask_ark.pem");
        ProductRoots genoa = RootStore.loadAmd(Product.GENOA);
        CertificateChain wrong = new CertificateChain(aci.leaf(), genoa.ask(), genoa.ark());
        fails(() -> VERIFIER.verify(bytes("aci-milan-v2/report.bin"), wrong, NOW), Reason.UNTRUSTED_CHAIN,
                "not the pinned MILAN ones");
    }

    @Test
    void leafUnderAnUntrustedRootIsRejected() {
        RootStore genoaOnly = RootStore.of(List.of(RootStore.loadAmd(Product.GENOA)));
        fails(() -> ReportVerifier.create(genoaOnly).verify(bytes("aci-milan-v2/report.bin"), pemChain(
                "aci-milan-v2/vcek_ask_ark.pem"), NOW), Reason.UNTRUSTED_CHAIN, "does not chain to a trusted ARK",
                "SEV-Milan");
    }

    @Test
    void expiredVlekIsRejectedAtTodaysDate() {
        fails(() -> VERIFIER.verify(bytes("aws-milan-vlek-v3/report.bin"), derLeaf("aws-milan-vlek-v3/vlek.der"),
                NOW), Reason.CERTIFICATE_EXPIRED, "VLEK expired at 2025-12-10");
    }

    @Test
    void certificateNotYetValidIsRejected() {
        fails(() -> VERIFIER.verify(bytes("gcp-milan-v5/report.bin"), pemChain("gcp-milan-v5/vcek.pem"),
                AWS_TIME), Reason.CERTIFICATE_NOT_YET_VALID, "VCEK is valid from 2025-12-05");
    }

    @Test
    void vcekOfAnotherChipIsAHwIdMismatch() {
        fails(() -> VERIFIER.verify(bytes("aci-milan-v2/report.bin"), pemChain("gcp-milan-v5/vcek.pem"), NOW),
                Reason.HWID_MISMATCH, "CHIP_ID is b12164b4", "VCEK hwID is 980cf7b6");
    }

    @Test
    void reportedTcbThatDiffersFromTheVcekIsATcbMismatch() {
        byte[] report = bytes("aci-milan-v2/report.bin");
        report[ReportLayout.REPORTED_TCB + 7] = 0x74; // microcode 115 -> 116
        fails(() -> VERIFIER.verify(report, pemChain("aci-milan-v2/vcek_ask_ark.pem"), NOW), Reason.TCB_MISMATCH,
                "REPORTED_TCB 0x7408000000000003", "ucode=116", "ucode=115");
    }

    @Test
    void vlekReportPresentedWithAVcekIsAKeyTypeMismatch() {
        fails(() -> VERIFIER.verify(bytes("aws-milan-vlek-v3/report.bin"), pemChain("gcp-milan-v5/vcek.pem"), NOW),
                Reason.KEY_TYPE_MISMATCH, "SIGNING_KEY is VLEK", "certificate is a VCEK");
    }

    @Test
    void genoaReportWithMilanVcekIsAProductMismatch() {
        fails(() -> VERIFIER.verify(bytes("genoa-v3/model_a0_report.bin"), pemChain("gcp-milan-v5/vcek.pem"), NOW),
                Reason.PRODUCT_MISMATCH, "is GENOA", "chains to MILAN");
    }

    @Test
    void truncatedReportIsMalformed() {
        fails(() -> VERIFIER.verify(new byte[100], pemChain("gcp-milan-v5/vcek.pem"), NOW),
                Reason.MALFORMED_REPORT, "ATTESTATION_REPORT: size is 100 bytes, want 1184");
    }
}
