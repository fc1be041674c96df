package dev.parma.bench.snp;

import dev.parma.snp.abi.AttestationReport;
import dev.parma.snp.abi.ReportLayout;
import dev.parma.snp.abi.ReportSignature;
import dev.parma.snp.trust.RootStore;
import dev.parma.snp.verify.CertificateChain;
import dev.parma.snp.verify.EcdsaP384;
import dev.parma.snp.verify.ReportVerifier;
import dev.parma.snp.verify.VerifiedReport;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Full verification of a real report (GCP Milan v5) with a cached chain, against raw P-384 ECDSA verification of the
 * same signature over the same 0x2A0 bytes with BouncyCastle's lightweight API and with the JDK's SunEC.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReportVerifyBench {
    static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");

    byte[] report;
    CertificateChain chain;
    ReportVerifier verifier;
    ECPublicKeyParameters bcKey;
    BigInteger r;
    BigInteger s;
    byte[] p1363;
    Signature sunEc;

    @Setup
    public void setup() throws Exception {
        report = resource("/gcp-milan-v5/report.bin");
        chain = CertificateChain.fromPem(new String(resource("/gcp-milan-v5/vcek.pem"), StandardCharsets.US_ASCII));
        verifier = ReportVerifier.create(RootStore.amd());
        verifier.verify(report, chain, AT); // fills the chain cache
        ReportSignature sig = AttestationReport.parse(report).signature();
        r = sig.r();
        s = sig.s();
        bcKey = EcdsaP384.publicKey(chain.leaf().getPublicKey());
        p1363 = new byte[96];
        copyFixed(r, p1363, 0);
        copyFixed(s, p1363, 48);
        sunEc = Signature.getInstance("SHA384withECDSAinP1363Format", "SunEC");
        if (!rawBouncyCastle() || !rawSunEc()) {
            throw new IllegalStateException("raw verification of the sample failed");
        }
    }

    /** Parse, cached chain lookup, validity, bindings, SHA-384 and ECDSA: what the attestation service runs. */
    @Benchmark
    public VerifiedReport fullReportVerifyCachedChain() throws Exception {
        return verifier.verify(report, chain, AT);
    }

    /** SHA-384 of 0x2A0 bytes + BouncyCastle custom-curve ECDSA verify with a reused public key. */
    @Benchmark
    public boolean rawBouncyCastle() {
        return EcdsaP384.verifyDigest(bcKey, EcdsaP384.sha384(report, ReportLayout.SIGNED_SIZE), r, s);
    }

    /** The JDK's SunEC SHA384withECDSA over the same bytes. */
    @Benchmark
    public boolean rawSunEc() throws GeneralSecurityException {
        sunEc.initVerify(chain.leaf().getPublicKey());
        sunEc.update(report, 0, ReportLayout.SIGNED_SIZE);
        return sunEc.verify(p1363);
    }

    static void copyFixed(BigInteger v, byte[] out, int off) {
        byte[] be = v.toByteArray();
        int n = Math.min(be.length, 48);
        System.arraycopy(be, be.length - n, out, off + 48 - n, n);
    }

    static byte[] resource(String path) throws IOException {
        try (InputStream in = ReportVerifyBench.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing resource " + path);
            }
            return in.readAllBytes();
        }
    }

}
