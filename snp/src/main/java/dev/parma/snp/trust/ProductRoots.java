package dev.parma.snp.trust;

import dev.parma.snp.abi.Product;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Optional;

/**
 * One product's pinned AMD root (ARK) with its intermediates: ASK signs VCEKs, ASVK signs VLEKs. The constructor
 * checks the ARK is self-signed and each intermediate is signed by it, all with AMD's RSASSA-PSS parameters, so a
 * {@code ProductRoots} that exists is internally consistent.
 *
 * @param asvk absent when only the VCEK chain is known
 */
public record ProductRoots(Product product, X509Certificate ark, X509Certificate ask, X509Certificate asvk) {

    public ProductRoots {
        if (product == null || ark == null || ask == null) {
            throw new IllegalArgumentException("ProductRoots needs product, ARK and ASK");
        }
        checkSigned(product + " ARK", ark, ark);
        checkSigned(product + " ASK", ask, ark);
        if (asvk != null) {
            checkSigned(product + " ASVK", asvk, ark);
        }
    }

    /**
     * From KDS cert_chain bodies (intermediate then ARK): the VCEK chain and, optionally, the VLEK chain, which must
     * name the same ARK. This is how a verifier loads a simulator's published roots.
     */
    public static ProductRoots fromCertChains(Product product, String vcekChainPem, String vlekChainPem) {
        List<X509Certificate> vcek = Pem.certificates(vcekChainPem);
        if (vcek.size() != 2) {
            throw new IllegalArgumentException(product + " VCEK cert_chain must hold ASK then ARK, got " + vcek.size()
                    + " certificates");
        }
        X509Certificate asvk = null;
        if (vlekChainPem != null) {
            List<X509Certificate> vlek = Pem.certificates(vlekChainPem);
            if (vlek.size() != 2 || !vlek.get(1).equals(vcek.get(1))) {
                throw new IllegalArgumentException(product + " VLEK cert_chain must hold ASVK then the same ARK");
            }
            asvk = vlek.get(0);
        }
        return new ProductRoots(product, vcek.get(1), vcek.get(0), asvk);
    }

    public Optional<X509Certificate> asvkCert() {
        return Optional.ofNullable(asvk);
    }

    private static void checkSigned(String name, X509Certificate cert, X509Certificate issuer) {
        String pss = AmdSignatures.checkPss(cert);
        if (pss != null) {
            throw new IllegalArgumentException(name + ": " + pss);
        }
        if (!(cert.getPublicKey() instanceof RSAPublicKey rsa) || rsa.getModulus().bitLength() != 4096) {
            throw new IllegalArgumentException(name + ": key must be RSA-4096");
        }
        if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            throw new IllegalArgumentException(name + ": issuer " + cert.getIssuerX500Principal() + " is not "
                    + issuer.getSubjectX500Principal());
        }
        try {
            cert.verify(issuer.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(name + ": signature does not verify with "
                    + issuer.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
        if (cert.getBasicConstraints() < 0) {
            throw new IllegalArgumentException(name + ": not a CA certificate");
        }
    }
}
