package dev.parma.snp.verify;

import static dev.parma.snp.verify.VerificationException.Reason.*;

import dev.parma.snp.abi.AbiException;
import dev.parma.snp.abi.AttestationReport;
import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.ReportLayout;
import dev.parma.snp.abi.SigningKey;
import dev.parma.snp.abi.TcbParts;
import dev.parma.snp.trust.RootStore;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Proves a report comes from AMD hardware (or from a simulator whose root the {@link RootStore} trusts) and says
 * which ({@link VerifiedReport#root()}):
 * <ol>
 * <li>the report parses (ABI, MBZ ranges), SIGNATURE_ALGO is ECDSA P-384/SHA-384 and SIGNING_KEY names a key;</li>
 * <li>the leaf's kind (CN SEV-VCEK / SEV-VLEK) matches SIGNING_KEY;</li>
 * <li>the leaf chains to a pinned ARK via its ASK/ASVK, all RSASSA-PSS/SHA-384/salt 48 (cached per leaf);</li>
 * <li>every certificate is valid at the caller's verification time;</li>
 * <li>for v3+ reports the CPUID product equals the chain's product;</li>
 * <li>VCEK hwID == CHIP_ID (first 8 bytes on Turin) and the SPL extensions == REPORTED_TCB;</li>
 * <li>the signature over 0x000..0x29F verifies with the leaf key.</li>
 * </ol>
 * Thread-safe; create one per root store and reuse it so the chain cache pays off.
 */
public final class ReportVerifier {
    private static final HexFormat HEX = HexFormat.of();

    private final ChainVerifier chains;
    private final RevocationCheck revocation;

    private ReportVerifier(RootStore roots, RevocationCheck revocation) {
        this.chains = new ChainVerifier(roots);
        this.revocation = revocation;
    }

    /** A verifier without revocation checks (the default: the library makes no network calls). */
    public static ReportVerifier create(RootStore roots) {
        return new ReportVerifier(roots, null);
    }

    /** A verifier that also runs {@code revocation} for every report. */
    public static ReportVerifier create(RootStore roots, RevocationCheck revocation) {
        return new ReportVerifier(roots, revocation);
    }

    /** Verifies the raw report bytes with the given chain at time {@code at}. */
    public VerifiedReport verify(byte[] reportBytes, CertificateChain chain, Instant at)
            throws VerificationException {
        AttestationReport report;
        try {
            report = AttestationReport.parse(reportBytes);
        } catch (AbiException e) {
            throw new VerificationException(MALFORMED_REPORT, e.getMessage(), e);
        }
        if (report.signatureAlgo() != ReportLayout.SIG_ALGO_ECDSA_P384_SHA384) {
            throw new VerificationException(UNSUPPORTED_SIGNATURE_ALGO, "SIGNATURE_ALGO is " + report
                    .signatureAlgo() + ", want " + ReportLayout.SIG_ALGO_ECDSA_P384_SHA384 + " (ECDSA P-384/SHA-384)");
        }
        SigningKey signingKey = report.signerInfo().signingKey();
        if (signingKey == SigningKey.NONE) {
            throw new VerificationException(UNSIGNED_REPORT, "SIGNER_INFO.SIGNING_KEY is 7 (no key)");
        }
        VerifiedChain vc = chains.verify(chain);
        if (vc.extensions().keyType() != signingKey) {
            throw new VerificationException(KEY_TYPE_MISMATCH, "SIGNER_INFO.SIGNING_KEY is " + signingKey
                    + " but the certificate is a " + vc.extensions().keyType());
        }
        vc.checkValidAt(at);
        Product product = vc.product();
        if (report.version() >= ReportLayout.CPUID_SINCE_VERSION) {
            Product fromCpuid;
            try {
                fromCpuid = report.productFromCpuid();
            } catch (AbiException e) {
                throw new VerificationException(PRODUCT_MISMATCH, e.getMessage(), e);
            }
            if (fromCpuid != product) {
                throw new VerificationException(PRODUCT_MISMATCH, String.format(
                        "CPUID_FAM_ID 0x%02x / CPUID_MOD_ID 0x%02x is %s, the certificate chains to %s", report
                                .cpuidFamId(),
                        report.cpuidModId(), fromCpuid, product));
            }
        }
        checkHwId(report, vc, product);
        checkTcb(report, vc, product);
        byte[] digest = EcdsaP384.sha384(reportBytes, ReportLayout.SIGNED_SIZE);
        if (!EcdsaP384.verifyDigest(vc.leafKey(), digest, report.signature().r(), report.signature().s())) {
            throw new VerificationException(BAD_SIGNATURE, "report signature does not verify with the "
                    + signingKey + " public key");
        }
        if (revocation != null) {
            revocation.check(product, signingKey, vc.certificates().get(2).cert(), vc.intermediate(), vc.leaf(), at);
        }
        return new VerifiedReport(report, product, vc.extensions(), vc.root());
    }

    private static void checkHwId(AttestationReport report, VerifiedChain vc, Product product)
            throws VerificationException {
        if (vc.extensions().keyType() != SigningKey.VCEK) {
            return; // a VLEK is not bound to a chip
        }
        byte[] hwId = vc.extensions().hwId();
        byte[] chipId = report.chipId();
        int n = product.hwIdSize();
        boolean ok = hwId.length == n;
        for (int i = 0; ok && i < ReportLayout.CHIP_ID_SIZE; i++) {
            ok = chipId[i] == (i < n ? hwId[i] : 0);
        }
        if (!ok) {
            throw new VerificationException(HWID_MISMATCH, "CHIP_ID is " + HEX.formatHex(chipId) + ", VCEK hwID is "
                    + HEX.formatHex(hwId) + (n < ReportLayout.CHIP_ID_SIZE ? " (" + n + " bytes, rest zero)" : ""));
        }
    }

    private static void checkTcb(AttestationReport report, VerifiedChain vc, Product product)
            throws VerificationException {
        TcbParts reported;
        try {
            reported = report.reportedTcb().parts(product);
        } catch (AbiException e) {
            throw new VerificationException(TCB_MISMATCH, "REPORTED_TCB: " + e.getMessage(), e);
        }
        TcbParts certified = vc.extensions().spl();
        if (!reported.equals(certified)) {
            throw new VerificationException(TCB_MISMATCH, "REPORTED_TCB " + report.reportedTcb() + " is " + reported
                    + ", " + vc.extensions().keyType() + " SPL extensions are " + certified);
        }
    }
}
