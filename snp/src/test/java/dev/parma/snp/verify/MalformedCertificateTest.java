package dev.parma.snp.verify;

import static dev.parma.snp.Anchors.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parma.snp.kds.KdsOids;
import dev.parma.snp.trust.Pem;
import dev.parma.snp.trust.RootStore;
import dev.parma.snp.verify.VerificationException.Reason;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * A VCEK that does not parse, or parses into nonsense, is a {@link VerificationException} with a reason: nothing else
 * escapes verification of attacker-supplied certificates.
 */
class MalformedCertificateTest {
    static final ReportVerifier VERIFIER = ReportVerifier.create(RootStore.amd());

    static void malformed(byte[] chain, String messagePart) {
        assertThatThrownBy(() -> CertificateChain.parse(chain)).isInstanceOfSatisfying(VerificationException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_CERTIFICATE)).hasMessageContaining(
                        messagePart);
    }

    @Test
    void garbageVcekBytes_areMalformedCertificates() throws Exception {
        byte[] random = new byte[1351];
        new Random(13).nextBytes(random);
        malformed(random, "certificate 0 (VCEK/VLEK)");
        malformed(new byte[0], "no certificate");
        byte[] der = pemChain("gcp-milan-v5/vcek.pem").leaf().getEncoded();
        malformed(Arrays.copyOf(der, der.length / 2), "not a DER X.509 certificate");
        malformed("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n".getBytes(
                StandardCharsets.US_ASCII), "PEM certificate 0 is not base64");
        malformed(("-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getEncoder().encodeToString(random)
                + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII), "not a DER X.509");
        byte[] aci = text("aci-milan-v2/vcek_ask_ark.pem").getBytes(StandardCharsets.US_ASCII);
        malformed(Arrays.copyOf(aci, aci.length - 40), "PEM certificate 2 has no END line");
        malformed((text("aci-milan-v2/vcek_ask_ark.pem") + text("gcp-milan-v5/vcek.pem")).getBytes(
                StandardCharsets.US_ASCII), "1 to 3 certificates");
    }

    @Test
    void wellFormedChainBytes_parseAsPemOrDerAndVerify() throws Exception {
        VERIFIER.verify(bytes("aci-milan-v2/report.bin"), CertificateChain.parse(bytes(
                "aci-milan-v2/vcek_ask_ark.pem")), NOW);
        CertificateChain der = CertificateChain.parse(bytes("aws-milan-vlek-v3/vlek.der"));
        VERIFIER.verify(bytes("aws-milan-vlek-v3/report.bin"), der, AWS_TIME);
        assertThat(der.intermediateCert()).isEmpty();
    }

    /** An SPL extension whose value is empty (no INTEGER at all) once escaped as a NullPointerException. */
    @Test
    void vcekWithAnEmptyExtensionValue_isAMalformedCertificate() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"), new java.security.SecureRandom(new byte[]{7}));
        KeyPair key = g.generateKeyPair();
        Instant from = Instant.parse("2025-01-01T00:00:00Z");
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=SEV-Milan"), BigInteger.ZERO,
                Date.from(from), Date.from(from.plusSeconds(86_400L * 365)), new X500Name("CN=SEV-VCEK"),
                key.getPublic());
        b.addExtension(new ASN1ObjectIdentifier(KdsOids.PRODUCT_NAME), false, new DERIA5String("Milan-B0"));
        b.addExtension(new Extension(new ASN1ObjectIdentifier(KdsOids.BL_SPL), false, new byte[0]));
        X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(
                "SHA384withECDSA").build(key.getPrivate())));
        assertThatThrownBy(() -> VERIFIER.verify(bytes("gcp-milan-v5/report.bin"), CertificateChain.ofLeaf(leaf),
                NOW)).isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e.reason()).isEqualTo(
                        Reason.MALFORMED_CERTIFICATE))
                .hasMessageContaining("blSPL");
    }

    /**
     * Every single-bit flip of a real VCEK that the JDK still parses is refused with a reason, except flips outside
     * the signed to-be-signed part that leave it, and so every value the verifier reads, unchanged (the padding-bits
     * byte of the signature BIT STRING): those verify, as the same AMD-signed statement.
     */
    @Test
    void everyBitFlipOfARealVcek_isRefusedWithAReason_unlessTheSignedPartIsUnchanged() throws Exception {
        byte[] report = bytes("gcp-milan-v5/report.bin");
        X509Certificate original = pemChain("gcp-milan-v5/vcek.pem").leaf();
        byte[] der = original.getEncoded();
        Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);
        List<String> escaped = new ArrayList<>();
        List<Integer> acceptedWithChangedTbs = new ArrayList<>();
        for (int bit = 0; bit < der.length * 8; bit++) {
            byte[] flipped = der.clone();
            flipped[bit >>> 3] ^= (byte) (1 << (bit & 7));
            X509Certificate leaf;
            try {
                leaf = Pem.der(flipped);
            } catch (IllegalArgumentException notX509) {
                continue; // CertificateChain.parse turns this into MALFORMED_CERTIFICATE (tested above)
            }
            try {
                VERIFIER.verify(report, CertificateChain.ofLeaf(leaf), NOW);
                if (!Arrays.equals(leaf.getTBSCertificate(), original.getTBSCertificate())) {
                    acceptedWithChangedTbs.add(bit);
                }
            } catch (VerificationException e) {
                reasons.merge(e.reason(), 1, Integer::sum);
            } catch (RuntimeException e) {
                escaped.add("bit " + bit + ": " + e);
            }
        }
        assertThat(escaped).as("exceptions that escaped the verifier").isEmpty();
        assertThat(acceptedWithChangedTbs).as("bits whose flip changed the signed part and still verified").isEmpty();
        assertThat(reasons).containsKeys(Reason.MALFORMED_CERTIFICATE, Reason.UNTRUSTED_CHAIN);
    }
}
