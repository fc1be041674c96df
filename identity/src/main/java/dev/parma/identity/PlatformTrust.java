package dev.parma.identity;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a certificate chain is a platform identity: it chains to the platform CA (PKIX, validity checked),
 * its leaf names a {@link Principal}, and its key usage fits the purpose. Used wherever a certificate arrives other
 * than in a TLS handshake (a node's sealing certificate in its heartbeat) and to name the peer of one.
 */
public final class PlatformTrust {

    private final X509Certificate ca;

    public PlatformTrust(X509Certificate ca) {
        this.ca = ca;
    }

    public X509Certificate ca() {
        return ca;
    }

    /** The principal {@code chain} proves, or throws {@link UntrustedIdentityException} saying why not. */
    public Principal verify(List<X509Certificate> chain, Purpose purpose) {
        if (chain == null || chain.isEmpty()) {
            throw new UntrustedIdentityException("no certificate");
        }
        var leaf = chain.get(0);
        // The CA itself may travel in the chain; PKIX wants the path without its anchor.
        var path = chain.stream().filter(c -> !c.equals(ca)).toList();
        try {
            var params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
                    .generateCertPath(path), params);
        } catch (GeneralSecurityException e) {
            throw new UntrustedIdentityException("not issued by the platform CA: " + e.getMessage());
        }
        boolean[] usage = leaf.getKeyUsage();
        boolean fits = usage != null && (purpose == Purpose.TLS ? usage[0] : usage[4]) // digitalSignature / keyAgreement
                && (purpose == Purpose.TLS || !usage[0]);
        if (!fits) {
            throw new UntrustedIdentityException("certificate is not for " + purpose);
        }
        return Principal.of(leaf).orElseThrow(() -> new UntrustedIdentityException(
                "certificate names no platform principal: " + leaf.getSubjectX500Principal().getName()));
    }

    /** The principal of an already-authenticated TLS peer (the handshake validated the chain), if any. */
    public static java.util.Optional<Principal> peer(java.security.cert.Certificate[] peerChain) {
        if (peerChain == null || peerChain.length == 0 || !(peerChain[0] instanceof X509Certificate leaf)) {
            return java.util.Optional.empty();
        }
        return Principal.of(leaf);
    }
}
