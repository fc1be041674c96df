package dev.parma.snp.cose;

import static dev.parma.snp.Anchors.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parma.snp.cose.CborValue.Array;
import dev.parma.snp.cose.CborValue.Bytes;
import dev.parma.snp.cose.CborValue.Tag;
import dev.parma.snp.cose.CoseException.Reason;
import dev.parma.snp.sim.UvmPublisher;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Microsoft's real UVM endorsement (ACI, PS384, three-certificate x5chain, did:x509 issuer) proves under Microsoft's
 * Supply Chain root; the simulated publisher's endorsements prove under its root; tampering fails precisely.
 */
class CoseSign1Test {
    static final byte[] ACI = bytes("aci-milan-v2/uvm_reference_info.cose_sign1.bin");
    static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");

    static X509Certificate microsoftRoot() throws CoseException {
        List<X509Certificate> chain = CoseSign1.parse(ACI).x5chain();
        return chain.get(chain.size() - 1);
    }

    @Test
    void aciEndorsementParses() throws Exception {
        CoseSign1 m = CoseSign1.parse(ACI);
        assertThat(m.algorithm()).isEqualTo(CoseAlgorithm.PS384);
        List<X509Certificate> chain = m.x5chain();
        assertThat(chain).hasSize(3);
        assertThat(chain.get(0).getSubjectX500Principal().getName()).contains("CN=ContainerPlat");
        assertThat(chain.get(2).getSubjectX500Principal().getName()).contains(
                "Microsoft Supply Chain RSA Root CA 2022");
        assertThat(TrustedSigners.text(m, "feed")).contains("ContainerPlat-AMD-UVM");
        assertThat(new String(m.payload(), StandardCharsets.UTF_8)).contains("\"x-ms-sevsnpvm-guestsvn\": \"22\"")
                .contains(
                        "51068107cdc7ee3d89c7821b05bca6147eb77b2005ae759050fc049b65a1b0beabc65a9d857acecf23225f5ec76849f5");
    }

    @Test
    void aciEndorsementProvesUnderMicrosoftsRootAtItsSigningTime() throws Exception {
        var signer = TrustedSigners.of(List.of(microsoftRoot())).verify(CoseSign1.parse(ACI), NOW);
        assertThat(signer.signingTime()).contains(Instant.parse("2023-02-08T05:42:23Z"));
        assertThat(signer.issuer()).contains(
                "did:x509:0:sha256:I__iuL25oXEVFdTP_aBLx_eT1RPHbCQ_ECBQfYZpt9s::eku:1.3.6.1.4.1.311.76.59.1.2");
        assertThat(signer.anchor()).isEqualTo(microsoftRoot());
        // trusting the intermediate instead of the root works too: the chain contains it
        X509Certificate intermediate = CoseSign1.parse(ACI).x5chain().get(1);
        assertThat(TrustedSigners.of(List.of(intermediate)).verify(CoseSign1.parse(ACI), NOW).chain()).hasSize(2);
    }

    @Test
    void aciEndorsementIsRefusedWithoutTrustOrWhenTampered() throws Exception {
        X509Certificate other = UvmPublisher.generate(NOW.minusSeconds(86400), new SecureRandom()).root();
        fails(() -> TrustedSigners.of(List.of(other)).verify(CoseSign1.parse(ACI), NOW), Reason.UNTRUSTED_SIGNER,
                "reaches none of the 1 trusted");
        byte[] tampered = replacePayload(ACI, "{\"x-ms-sevsnpvm-guestsvn\": \"99\"}".getBytes(StandardCharsets.UTF_8));
        fails(() -> TrustedSigners.of(List.of(microsoftRoot())).verify(CoseSign1.parse(tampered), NOW),
                Reason.BAD_SIGNATURE, "PS384 signature does not verify");
        byte[] flipped = ACI.clone();
        flipped[flipped.length - 1] ^= 1;
        fails(() -> TrustedSigners.of(List.of(microsoftRoot())).verify(CoseSign1.parse(flipped), NOW),
                Reason.BAD_SIGNATURE);
    }

    @Test
    void simulatedPublisherEndorsementsProveUnderItsRoot() throws Exception {
        UvmPublisher pub = UvmPublisher.generate(NOW.minusSeconds(86400), new SecureRandom());
        byte[] measurement = new byte[48];
        measurement[0] = 0x5e;
        byte[] cose = pub.endorse(measurement, 7, NOW.minusSeconds(60));
        CoseSign1 m = CoseSign1.parse(cose);
        assertThat(m.algorithm()).isEqualTo(CoseAlgorithm.ES384);
        var signer = TrustedSigners.of(List.of(pub.root())).verify(m, NOW);
        assertThat(signer.issuer()).contains(pub.issuer());
        assertThat(new String(m.payload(), StandardCharsets.UTF_8)).contains("\"x-ms-sevsnpvm-guestsvn\": \"7\"")
                .contains("5e" + "00".repeat(47));
        // persisted and reloaded, it signs endorsements the same root proves
        UvmPublisher again = UvmPublisher.fromPem(pub.toPem());
        assertThat(again.root()).isEqualTo(pub.root());
        TrustedSigners.of(List.of(pub.root())).verify(CoseSign1.parse(again.endorse(measurement, 7, NOW)), NOW);
        // a signing time after "now" is refused rather than believed
        fails(() -> TrustedSigners.of(List.of(pub.root())).verify(CoseSign1.parse(pub.endorse(measurement, 7, NOW
                .plusSeconds(3600))), NOW), Reason.CERTIFICATE_NOT_VALID, "in the future");
        // signed before the certificates were valid
        fails(() -> TrustedSigners.of(List.of(pub.root())).verify(CoseSign1.parse(pub.endorse(measurement, 7, NOW
                .minusSeconds(3 * 86400))), NOW), Reason.CERTIFICATE_NOT_VALID, "not at the signing time");
    }

    @Test
    void didX509MustDescribeTheChain() throws Exception {
        List<X509Certificate> chain = CoseSign1.parse(ACI).x5chain();
        DidX509.check("did:x509:0:sha256:I__iuL25oXEVFdTP_aBLx_eT1RPHbCQ_ECBQfYZpt9s::eku:1.3.6.1.4.1.311.76.59.1.2",
                chain);
        fails(() -> DidX509.check("did:x509:0:sha256:AAAAuL25oXEVFdTP_aBLx_eT1RPHbCQ_ECBQfYZpt9s::eku:"
                + "1.3.6.1.4.1.311.76.59.1.2", chain), Reason.ISSUER_MISMATCH, "matches no CA certificate");
        fails(() -> DidX509.check("did:x509:0:sha256:I__iuL25oXEVFdTP_aBLx_eT1RPHbCQ_ECBQfYZpt9s::eku:1.2.3",
                chain), Reason.ISSUER_MISMATCH, "requires EKU 1.2.3");
        fails(() -> DidX509.check("did:x509:0:sha256:I__iuL25oXEVFdTP_aBLx_eT1RPHbCQ_ECBQfYZpt9s::subject:CN:x",
                chain), Reason.ISSUER_MISMATCH, "policy 'subject' is not supported");
        fails(() -> DidX509.check("did:x509:0:md5:abc::eku:1.2.3", chain), Reason.ISSUER_MISMATCH, "hash 'md5'");
    }

    @Test
    void structuralProblemsAreMalformed() {
        fails(() -> CoseSign1.parse(new byte[]{(byte) 0x80}), Reason.MALFORMED, "array of 4");
        fails(() -> CoseSign1.parse(HexBytes.of("d1840000f640")), Reason.MALFORMED, "tag 17");
        fails(() -> CoseSign1.parse(HexBytes.of("d28440a0f640")), Reason.MALFORMED, "detached");
        fails(() -> CoseSign1.parse(HexBytes.of("d2844101a04040")), Reason.MALFORMED, "protected header must encode");
        fails(() -> CoseSign1.parse(HexBytes.of("d28440a04040")).algorithm(), Reason.UNSUPPORTED_ALGORITHM,
                "no algorithm");
        fails(() -> CoseSign1.parse(HexBytes.of("d28443a1012aa04040")).algorithm(), Reason.UNSUPPORTED_ALGORITHM,
                "algorithm -11 is not supported");
    }

    static byte[] replacePayload(byte[] cose, byte[] payload) throws CoseException {
        Tag t = (Tag) Cbor.decode(cose);
        List<CborValue> parts = new ArrayList<>(((Array) t.content()).items());
        parts.set(2, new Bytes(payload));
        return Cbor.encode(new Tag(18, new Array(parts)));
    }

    static void fails(ThrowingCallable call, Reason reason, String... parts) {
        var a = assertThatThrownBy(call).isInstanceOfSatisfying(CoseException.class, e -> assertThat(e.reason())
                .isEqualTo(reason));
        for (String p : parts) {
            a.hasMessageContaining(p);
        }
    }

    static final class HexBytes {
        static byte[] of(String hex) {
            return java.util.HexFormat.of().parseHex(hex);
        }
    }
}
