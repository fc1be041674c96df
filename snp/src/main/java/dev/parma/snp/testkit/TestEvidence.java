package dev.parma.snp.testkit;

import dev.parma.snp.abi.AttestationReport;
import dev.parma.snp.abi.FirmwareVersion;
import dev.parma.snp.abi.GuestPolicy;
import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.ReportLayout;
import dev.parma.snp.abi.SignerInfo;
import dev.parma.snp.abi.SigningKey;
import dev.parma.snp.abi.TcbParts;
import dev.parma.snp.abi.TcbVersion;
import dev.parma.snp.sim.LeafSpec;
import dev.parma.snp.sim.P384;
import dev.parma.snp.sim.SimAuthority;
import dev.parma.snp.sim.SimChip;
import dev.parma.snp.sim.SimConfig;
import dev.parma.snp.trust.RootStore;
import dev.parma.snp.verify.CertificateChain;
import dev.parma.snp.verify.EcdsaP384;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;

/**
 * Builds signed reports and their chains with overrides, for negative tests in any module (go-sev-guest's
 * {@code AmdSignerBuilder} + {@code CertOverride} idea). By default the result verifies with
 * {@code ReportVerifier.create(evidence.roots())} at {@code evidence.validAt()}:
 *
 * <pre>{@code
 * Evidence ok = TestEvidence.builder(Product.MILAN).report(b -> b.hostData(policyDigest)).build();
 * Evidence badTcb = TestEvidence.builder(Product.MILAN).leaf(s -> s.withSpl(TcbParts.of(0, 0, 0, 1))).build();
 * Evidence tampered = TestEvidence.builder(Product.MILAN).afterSigning(bytes -> bytes[0x50] ^= 1).build();
 * }</pre>
 */
public final class TestEvidence {
    /** Inside the shared authorities' and default leaves' validity. */
    public static final Instant VALID_AT = Instant.parse("2026-06-01T00:00:00Z");

    private final Product product;
    private final SecureRandom random = new SecureRandom();
    private SimAuthority authority;
    private SimChip chip;
    private SigningKey signingKey = SigningKey.VCEK;
    private Consumer<AttestationReport.Builder> reportOverride = b -> {
    };
    private UnaryOperator<LeafSpec> leafOverride = s -> s;
    private ECPrivateKeyParameters signWith;
    private Consumer<byte[]> afterSigning = b -> {
    };

    private TestEvidence(Product product) {
        this.product = product;
    }

    public static TestEvidence builder(Product product) {
        return new TestEvidence(product);
    }

    /** Use a specific authority instead of {@link TestAuthorities#shared}. */
    public TestEvidence authority(SimAuthority v) {
        authority = v;
        return this;
    }

    /** Use a specific chip instead of a random one. */
    public TestEvidence chip(SimChip v) {
        chip = v;
        return this;
    }

    /** VLEK evidence: SIGNER_INFO.SIGNING_KEY = 1, CHIP_ID masked, leaf issued by the ASVK. */
    public TestEvidence vlek() {
        signingKey = SigningKey.VLEK;
        return this;
    }

    /** Changes report fields before signing. */
    public TestEvidence report(Consumer<AttestationReport.Builder> v) {
        reportOverride = reportOverride.andThen(v);
        return this;
    }

    /** Changes the leaf certificate (SPLs, hwID, validity, key, product name, ...). */
    public TestEvidence leaf(UnaryOperator<LeafSpec> v) {
        UnaryOperator<LeafSpec> prev = leafOverride;
        leafOverride = s -> v.apply(prev.apply(s));
        return this;
    }

    /** Signs with another key than the leaf's (the signature will not verify). */
    public TestEvidence signWith(ECPrivateKeyParameters v) {
        signWith = v;
        return this;
    }

    /** Mutates the signed bytes (tampering after the fact). */
    public TestEvidence afterSigning(Consumer<byte[]> v) {
        afterSigning = afterSigning.andThen(v);
        return this;
    }

    public Evidence build() {
        SimAuthority auth = authority != null ? authority : TestAuthorities.shared(product);
        SimChip c = chip != null ? chip : SimChip.random(product, random);
        SimConfig cfg = SimConfig.defaults(product);
        ECPrivateKeyParameters leafKey = c.vcekKey(cfg.reportedTcb());
        Instant leafFrom = TestAuthorities.NOT_BEFORE.plusSeconds(86400);
        LeafSpec spec = signingKey == SigningKey.VLEK
                ? LeafSpec.vlek(product, cfg.reportedTcb(), "CN=test.parma.dev", P384.jcaPublicKey(P384.publicKey(
                        leafKey)), leafFrom).withValidity(leafFrom, leafFrom.plusSeconds(7L * 366 * 86400))
                : LeafSpec.vcek(product, cfg.reportedTcb(), c.hwId(), P384.jcaPublicKey(P384.publicKey(leafKey)),
                        leafFrom);
        X509Certificate leaf = auth.issue(leafOverride.apply(spec));

        TcbVersion tcb = TcbVersion.of(product, cfg.reportedTcb());
        byte[] reportIdMa = new byte[32];
        Arrays.fill(reportIdMa, (byte) 0xFF);
        byte[] reportId = new byte[32];
        random.nextBytes(reportId);
        AttestationReport.Builder b = AttestationReport.builder().version(cfg.reportVersion()).policy(GuestPolicy
                .defaults()).allTcbs(tcb).platformInfo(cfg.platformInfo()).signerInfo(new SignerInfo(false,
                        false, signingKey))
                .reportId(reportId).reportIdMa(reportIdMa).cpuid(product
                        .cpuidFamily(), product.cpuidModel(), cfg.cpuidStepping())
                .chipId(signingKey == SigningKey.VLEK
                        ? new byte[64]
                        : c.chipId())
                .currentVersion(new FirmwareVersion(1, 55, 40))
                .committedVersion(new FirmwareVersion(1, 55, 40));
        if (cfg.reportVersion() >= ReportLayout.MIT_VECTOR_SINCE_VERSION) {
            b.mitVectors(cfg.mitigationVector(), cfg.mitigationVector());
        }
        reportOverride.accept(b);
        byte[] unsigned = b.build().toBytes();
        byte[] digest = EcdsaP384.sha384(unsigned, ReportLayout.SIGNED_SIZE);
        byte[] signed = b.signature(P384.sign(signWith != null ? signWith : leafKey, digest, random)).build()
                .toBytes();
        afterSigning.accept(signed);
        X509Certificate intermediate = signingKey == SigningKey.VLEK ? auth.roots().asvk() : auth.ask();
        return new Evidence(signed, new CertificateChain(leaf, intermediate, auth.ark()), RootStore.amd().with(auth
                .roots()), VALID_AT);
    }

    /** SPLs of the default simulated platform for a product. */
    public static TcbParts defaultTcb(Product product) {
        return SimConfig.defaults(product).reportedTcb();
    }
}
