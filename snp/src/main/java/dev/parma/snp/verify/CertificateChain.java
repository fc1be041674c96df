package dev.parma.snp.verify;

import dev.parma.snp.trust.Pem;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The certificates an attester presents with its report: the VCEK or VLEK leaf, optionally followed by the ASK/ASVK
 * and the ARK (the "VcekCertChain" of MAA requests). Supplied intermediates and roots are only accepted if they are
 * the pinned ones.
 */
public record CertificateChain(X509Certificate leaf, X509Certificate intermediate, X509Certificate root) {
    private static final List<String> NAMES = List.of("VCEK/VLEK", "ASK/ASVK", "ARK");

    public CertificateChain {
        if (leaf == null) {
            throw new IllegalArgumentException("CertificateChain: leaf (VCEK/VLEK) is required");
        }
    }

    public static CertificateChain ofLeaf(X509Certificate leaf) {
        return new CertificateChain(leaf, null, null);
    }

    /** Leaf first, then optionally the intermediate and the root. */
    public static CertificateChain of(List<X509Certificate> certs) {
        if (certs.isEmpty() || certs.size() > 3) {
            throw new IllegalArgumentException("CertificateChain: want 1 to 3 certificates, got " + certs.size());
        }
        return new CertificateChain(certs.get(0), certs.size() > 1 ? certs.get(1) : null,
                certs.size() > 2 ? certs.get(2) : null);
    }

    /** PEM text, leaf first (VCEK || ASK || ARK as ACI and MAA pass it); IllegalArgumentException if malformed. */
    public static CertificateChain fromPem(String pem) {
        return of(Pem.certificates(pem));
    }

    /**
     * Chain bytes as evidence carries them: PEM text, leaf first (MAA's VcekCertChain), or one DER certificate (a KDS
     * VCEK). Bytes that are not 1 to 3 X.509 certificates are a verification failure like any other, with reason
     * MALFORMED_CERTIFICATE naming the certificate, so untrusted input can go through one {@code catch}.
     */
    public static CertificateChain parse(byte[] bytes) throws VerificationException {
        if (bytes.length == 0) {
            throw malformed("no certificate (empty certificate chain)", null);
        }
        List<byte[]> ders;
        try {
            ders = Pem.isPem(bytes) ? Pem.blocks(new String(bytes, StandardCharsets.US_ASCII)) : List.of(bytes);
        } catch (IllegalArgumentException e) {
            throw malformed(e.getMessage(), e);
        }
        if (ders.size() > 3) {
            throw malformed("want 1 to 3 certificates (VCEK/VLEK, ASK/ASVK, ARK), got " + ders.size(), null);
        }
        List<X509Certificate> certs = new ArrayList<>(ders.size());
        for (int i = 0; i < ders.size(); i++) {
            try {
                certs.add(Pem.der(ders.get(i)));
            } catch (IllegalArgumentException e) {
                throw malformed("certificate " + i + " (" + NAMES.get(i) + "): " + e.getMessage(), e);
            }
        }
        return of(certs);
    }

    private static VerificationException malformed(String message, Throwable cause) {
        return new VerificationException(VerificationException.Reason.MALFORMED_CERTIFICATE, message, cause);
    }

    public Optional<X509Certificate> intermediateCert() {
        return Optional.ofNullable(intermediate);
    }

    public Optional<X509Certificate> rootCert() {
        return Optional.ofNullable(root);
    }
}
