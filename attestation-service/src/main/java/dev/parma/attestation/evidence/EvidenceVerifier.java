package dev.parma.attestation.evidence;

import static dev.parma.attestation.api.AttestationErrors.INIT_TIME_DATA_MISMATCH;
import static dev.parma.attestation.api.AttestationErrors.INVALID_REPORT;
import static dev.parma.attestation.api.AttestationErrors.RUNTIME_DATA_MISMATCH;
import static dev.parma.attestation.api.AttestationErrors.VCEK_UNAVAILABLE;

import dev.parma.attestation.api.AttestationErrors;
import dev.parma.attestation.api.AttestationException;
import dev.parma.snp.abi.AbiException;
import dev.parma.snp.abi.AttestationReport;
import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.ReportLayout;
import dev.parma.snp.abi.SigningKey;
import dev.parma.snp.kds.KdsClient;
import dev.parma.snp.kds.KdsException;
import dev.parma.snp.kds.KdsRequest;
import dev.parma.snp.trust.ProductRoots;
import dev.parma.snp.trust.RootStore;
import dev.parma.snp.verify.CertificateChain;
import dev.parma.snp.verify.ReportVerifier;
import dev.parma.snp.verify.VerificationException;
import dev.parma.snp.verify.VerifiedReport;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Proves evidence with the snp library and checks MAA's data bindings: SHA-256(runtimeData) == REPORT_DATA[0..32]
 * and SHA-256(initTimeData) == HOST_DATA. One verifier trusts AMD's production roots plus the simulator roots the
 * deployment configured; the verified report says which root its chain ended at, and simulator evidence is marked.
 */
public final class EvidenceVerifier {
    private static final HexFormat HEX = HexFormat.of();

    /** Parsed VcekCertChain PEMs by SHA-256: a host's guests all send the same chain, X.509 parsing is not free. */
    private static final int PARSED_CHAINS_MAX = 4096;

    private final Map<String, CertificateChain> parsedChains = new ConcurrentHashMap<>();
    private final ReportVerifier reports;
    private final KdsClient kds;
    private final Product defaultProduct;

    /** @param simulatorRoots empty: real hardware only */
    public EvidenceVerifier(List<ProductRoots> simulatorRoots, KdsClient kds, Product defaultProduct) {
        this.reports = ReportVerifier.create(RootStore.amd().with(simulatorRoots));
        this.kds = kds;
        this.defaultProduct = defaultProduct;
    }

    public VerifiedEvidence verify(AttestRequest request, Instant at) {
        CertificateChain chain = request.certificateChain().map(this::chain).orElseGet(() -> fetchVcek(request
                .report()));
        VerifiedReport verified;
        try {
            verified = reports.verify(request.report(), chain, at);
        } catch (VerificationException e) {
            throw refused(e);
        }
        AttestationReport report = verified.report();
        request.runtimeData().ifPresent(d -> bind(d.bytes(), Arrays.copyOf(report.reportData(), 32),
                RUNTIME_DATA_MISMATCH, "runtimeData", "REPORT_DATA[0..32]"));
        request.initTimeData().ifPresent(d -> bind(d.bytes(), report.hostData(), INIT_TIME_DATA_MISMATCH,
                "initTimeData", "HOST_DATA"));
        return new VerifiedEvidence(verified, request);
    }

    private CertificateChain chain(String pem) {
        String key = HEX.formatHex(sha256(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        CertificateChain cached = parsedChains.get(key);
        if (cached != null) {
            return cached;
        }
        CertificateChain parsed = parse(pem);
        if (parsedChains.size() >= PARSED_CHAINS_MAX) {
            parsedChains.clear(); // crude but bounded; a fleet has far fewer distinct chains
        }
        parsedChains.put(key, parsed);
        return parsed;
    }

    /** The attester's chain, parsed by the snp library: anything but 1 to 3 certificates is MALFORMED_CERTIFICATE. */
    private static CertificateChain parse(String pem) {
        try {
            return CertificateChain.parse(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (VerificationException e) {
            throw AttestationException.badRequest(AttestationErrors.of(e.reason()),
                    "VcekCertChain is not 1 to 3 certificates (VCEK, ASK, ARK): " + e.getMessage(),
                    "report.VcekCertChain");
        }
    }

    /** No chain in the request: the VCEK for CHIP_ID at REPORTED_TCB, from the (caching) KDS client. */
    private CertificateChain fetchVcek(byte[] reportBytes) {
        AttestationReport report;
        Product product;
        KdsRequest.Vcek request;
        try {
            report = AttestationReport.parse(reportBytes);
            if (report.signerInfo().signingKey() != SigningKey.VCEK) {
                throw new AttestationException(400, VCEK_UNAVAILABLE, "The report is signed by a "
                        + report.signerInfo().signingKey()
                        + " and the request carries no VcekCertChain; only VCEKs can be fetched from AMD's KDS.",
                        "report.VcekCertChain");
            }
            product = report.version() >= ReportLayout.CPUID_SINCE_VERSION
                    ? report.productFromCpuid()
                    : defaultProduct;
            request = KdsRequest.Vcek.forChip(product, report.chipId(), report.reportedTcb().parts(product));
        } catch (AbiException | KdsException e) {
            throw AttestationException.badRequest(INVALID_REPORT, e.getMessage(), "report.SnpReport");
        }
        try {
            return CertificateChain.ofLeaf(kds.vcek(request));
        } catch (KdsException e) {
            throw new AttestationException(400, VCEK_UNAVAILABLE,
                    "The request carries no VcekCertChain and the VCEK for this chip and TCB is not available: "
                            + e.getMessage(),
                    "report.VcekCertChain");
        }
    }

    private static void bind(byte[] data, byte[] want, String code, String field, String reportField) {
        byte[] got = sha256(data);
        if (!MessageDigest.isEqual(got, want)) {
            throw AttestationException.badRequest(code, "SHA-256(" + field + ") is " + HEX.formatHex(got) + " but "
                    + reportField + " is " + HEX.formatHex(want) + ".", field);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AttestationException refused(VerificationException e) {
        return AttestationException.badRequest(AttestationErrors.of(e.reason()), e.getMessage(),
                "report");
    }
}
