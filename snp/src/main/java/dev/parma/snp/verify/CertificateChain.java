package dev.parma.snp.verify;

import dev.parma.snp.trust.Pem;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The certificates an attester presents with its report: the VCEK or VLEK leaf, optionally followed by the ASK/ASVK
 * and the ARK (the "VcekCertChain" of MAA requests). Supplied intermediates and roots are only accepted if they are
 * the pinned ones.
 */
public record CertificateChain(X509Certificate leaf, X509Certificate intermediate, X509Certificate root) {

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

    /** PEM text, leaf first (VCEK || ASK || ARK as ACI and MAA pass it). */
    public static CertificateChain fromPem(String pem) {
        return of(Pem.certificates(pem));
    }

    public Optional<X509Certificate> intermediateCert() {
        return Optional.ofNullable(intermediate);
    }

    public Optional<X509Certificate> rootCert() {
        return Optional.ofNullable(root);
    }
}
